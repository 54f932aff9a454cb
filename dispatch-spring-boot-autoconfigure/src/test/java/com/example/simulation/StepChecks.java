package com.example.simulation;

import com.example.simulation.Effects.Line;
import com.example.simulation.TreeRows.Row;
import java.util.List;

/**
 * What each parent saw, checked against its children's records: a SUCCEEDED parent's recorded result is that of its
 * last complete run, and each of that run's steps answered what the model derives from its children's final states
 * (gather: every value in order; any: a success's value, or every call failed; race: one call's outcome; batch, sleep
 * and keyed dispatch: no failure at all). A FAILED parent failed because of a child, a fault or the cancel.
 */
final class StepChecks {

    private final Invariants checks;

    StepChecks(Invariants checks) {
        this.checks = checks;
    }

    void checkParents() {
        for (Plan.Node node : this.checks.plan().nodes()) {
            Row row = this.checks.row(node.index());
            if (!node.isParent() || row == null) {
                continue;
            }
            if (row.status().equals("SUCCEEDED")) {
                succeeded(node, row);
            } else if (row.status().equals("FAILED")) {
                failed(node, row);
            }
        }
    }

    private void succeeded(Plan.Node node, Row row) {
        Line last = null;
        for (Line line : this.checks.lines()) {
            if (line.is(Effects.END)
                    && line.invocation().equals(row.id())
                    && line.field(4).equals("OK")) {
                last = line;
            }
        }
        if (last == null) {
            this.checks.check(false, "parent " + node.index() + " SUCCEEDED with no complete run");
            return;
        }
        String seen = last.field(5).equals("-") ? "" : last.field(5);
        this.checks.check(
                row.value().equals(Parents.value(node, seen)),
                "parent " + node.index() + " recorded "
                        + row.value() + ", not what its last complete run returned (" + Parents.value(node, seen)
                        + ", from "
                        + seen + ") (issue 14 item 8: an older attempt's end accepted)");
        String[] steps = seen.isEmpty() ? new String[0] : seen.split(";", -1);
        this.checks.check(
                steps.length == node.steps().size(),
                "parent " + node.index() + " ran " + steps.length + " steps of "
                        + node.steps().size() + ": " + seen);
        for (int s = 0; s < Math.min(steps.length, node.steps().size()); s++) {
            step(node, s, node.steps().get(s), steps[s]);
        }
    }

    private void step(Plan.Node node, int s, Plan.Step step, String seen) {
        String where = "parent " + node.index() + " step " + s + " (" + step.kind() + " of " + step.children() + ")";
        if (seen.startsWith("F:")) {
            failure(where, step, seen);
            return;
        }
        switch (step.kind()) {
            case DIRECT, ANY, RACE, PASS -> {
                String value = seen.substring(2);
                List<Integer> answering =
                        step.kind() == Plan.StepKind.PASS ? step.children().subList(1, 2) : step.children();
                boolean found = answering.stream()
                        .map(this.checks::row)
                        .anyMatch(c -> c != null
                                && c.status().equals("SUCCEEDED")
                                && c.value().equals(value));
                this.checks.check(
                        found,
                        where + " answered " + value + ", which no SUCCEEDED child returned" + retriedHint(step));
            }
            case GATHER -> {
                String expected = "["
                        + String.join(
                                ",",
                                step.children().stream()
                                        .map(c -> {
                                            Row child = this.checks.row(c);
                                            return child == null
                                                            || !child.status().equals("SUCCEEDED")
                                                    ? "<" + (child == null ? "unrecorded" : child.status()) + ">"
                                                    : child.value();
                                        })
                                        .toList())
                        + "]";
                this.checks.check(
                        seen.equals(expected),
                        where + " answered " + seen + " where the children's records" + " say " + expected
                                + retriedHint(step));
            }
            case BATCH -> this.checks.check(seen.equals("B"), where + " answered " + seen);
            case SLEEP -> this.checks.check(seen.equals("S"), where + " answered " + seen);
            case KEYED -> this.checks.check(seen.equals("K"), where + " answered " + seen);
        }
    }

    private void failure(String where, Plan.Step step, String seen) {
        String[] parts = seen.split(":");
        String type = parts[1];
        boolean expectedType = switch (step.kind()) {
            case DIRECT, GATHER, RACE, PASS -> type.equals("CallFailedException");
            case ANY -> type.equals("AnyFailedException");
            default -> false;
        };
        this.checks.check(
                expectedType,
                where + " threw " + type + " into the parent"
                        + (type.contains("DataAccess") || type.contains("SQL") || type.contains("Transaction")
                                ? " (issue 14 item 6: a database error reached user code)"
                                : type.equals("NonDeterminismException")
                                        ? " (issue 14 items 1/3: replay after a retry or of a" + " lossy value)"
                                        : ""));
        if (!expectedType) {
            return;
        }
        List<Row> children = step.children().stream().map(this.checks::row).toList();
        if (step.kind() == Plan.StepKind.ANY) {
            boolean allFailed = children.stream().allMatch(c -> c != null && (failedOrRetried(c)));
            this.checks.check(allFailed, where + " threw AnyFailedException though a child SUCCEEDED");
            return;
        }
        Row failed = parts.length > 2 ? this.checks.rowById(parts[2]) : null;
        this.checks.check(
                failed != null && step.children().contains(failed.node()) && failedOrRetried(failed),
                where + " failed for call " + (parts.length > 2 ? parts[2] : "?") + ", which is not a child that"
                        + " failed (" + (failed == null ? "unknown" : failed.status()) + ")");
    }

    private void failed(Plan.Node node, Row row) {
        boolean byChild = false;
        for (Plan.Step step : node.steps()) {
            if (step.catching()) {
                continue;
            }
            for (int c : step.children()) {
                Row child = this.checks.row(c);
                boolean awaited = step.kind() != Plan.StepKind.BATCH && step.kind() != Plan.StepKind.KEYED;
                byChild |= awaited && child != null && failedOrRetried(child);
            }
        }
        boolean excused = byChild || this.checks.cancelled(row) || this.checks.faulted();
        this.checks.check(
                excused,
                "parent " + node.index() + " (" + row.id() + ") FAILED with " + row.errorType()
                        + " though none of its awaited children failed and no fault or cancel touched it: "
                        + row.errorMessage()
                        + (String.valueOf(row.errorType()).contains("Duplicate") ? " (issue 14 item 1)" : "")
                        + (String.valueOf(row.errorType()).contains("NonDeterminism") ? nonDeterminism(node) : ""));
    }

    /** A replay that differs: a lossy value passed on (item 3), or a retried parent resumed without its journal. */
    private static String nonDeterminism(Plan.Node node) {
        boolean passes = node.steps().stream().anyMatch(s -> s.kind() == Plan.StepKind.PASS);
        return passes
                ? " (issue 14 item 3: the first run and the replay see different values)"
                : " (issue 14 items 1/2: a retried parent resumed without its journal)";
    }

    private boolean failedOrRetried(Row child) {
        return child.status().equals("FAILED") || child.status().equals("CANCELLED") || this.checks.retried(child.id());
    }

    private String retriedHint(Plan.Step step) {
        boolean retried =
                step.children().stream().map(this.checks::row).anyMatch(c -> c != null && this.checks.retried(c.id()));
        return retried ? " (issue 14 item 2: a retried child's step stays decided)" : "";
    }
}
