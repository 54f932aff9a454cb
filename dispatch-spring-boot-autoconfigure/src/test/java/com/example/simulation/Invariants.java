package com.example.simulation;

import com.example.simulation.Effects.Line;
import com.example.simulation.TreeRows.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The invariants of one scenario, checked against its plan, its effects and its rows once it ran. Each violation says
 * what broke and, where it is one of issue 14's known bugs, which item.
 *
 * <ul>
 *   <li>no body starts, or is still running, while its call is recorded SUCCEEDED; no call recorded by a cancelled
 *       parent runs;
 *   <li>a leaf runs again only after a failure, a fault or an operator retry since its previous run;
 *   <li>every call ends; each plan node is recorded once;
 *   <li>attempts never exceed the maximum, except by operator retry;
 *   <li>leaves end as the model says (faults and cancels excuse only what they touched); parents' steps saw what their
 *       children's records say ({@link StepChecks});
 *   <li>nothing stays RUNNING without a live lease (watched while it runs, by {@link Operation}).
 * </ul>
 */
final class Invariants {

    /** Error text is stored bounded: issue 14 asks for a cap of about 8 KB; twice that is the limit here. */
    static final int MAX_ERROR_MESSAGE = 16 * 1024;

    private final Plan plan;

    private final List<Line> lines;

    private final Map<Integer, Row> byNode = new HashMap<>();

    private final Map<String, Row> byId = new HashMap<>();

    private final Set<String> retried = new HashSet<>();

    private final Set<String> cancelledTree = new HashSet<>();

    private final List<String> violations = new ArrayList<>();

    private final Operation.Observations seen;

    private Set<String> starting;

    private int checks;

    Invariants(Plan plan, List<Line> lines, List<Row> rows, Operation.Observations seen) {
        this.plan = plan;
        this.lines = lines;
        this.seen = seen;
        for (Row row : rows) {
            check(
                    this.byNode.put(row.node(), row) == null,
                    "node " + row.node() + " is recorded more than once" + " (issue 14 item 9 if ids collide)");
            this.byId.put(row.id(), row);
        }
        for (Line line : lines) {
            if (line.is(Effects.OP) && line.field(1).equals("retry")) {
                this.retried.add(line.invocation());
            }
        }
        if (seen.cancelled != null) {
            for (Row row : rows) {
                if (descends(row, seen.cancelled)) {
                    this.cancelledTree.add(row.id());
                }
            }
        }
        seen.leaseViolations.values().forEach(v -> violation(v + " (issue 14 item 8 if its node stalled)"));
        this.checks += seen.leaseChecks;
        checkCancel(seen);
        checkEnds(seen.ended);
        checkBodies();
        checkRepeats();
        new LeafOutcomes(this).check();
        new StepChecks(this).checkParents();
    }

    List<String> violations() {
        return this.violations;
    }

    int checks() {
        return this.checks;
    }

    Plan plan() {
        return this.plan;
    }

    List<Line> lines() {
        return this.lines;
    }

    Row row(int node) {
        return this.byNode.get(node);
    }

    Row rowById(String id) {
        return this.byId.get(id);
    }

    boolean retried(String id) {
        return this.retried.contains(id);
    }

    boolean cancelled(Row row) {
        return this.cancelledTree.contains(row.id());
    }

    /**
     * Whether a worker was about to start this attempt of the call (logged before its start mark is written): a fault
     * there may cost the attempt before its body's first line. A call claimed ahead that waited for a worker was not.
     */
    boolean starting(String id, int attempt) {
        if (this.starting == null) {
            this.starting = this.seen.starting.get();
        }
        return this.starting.contains(id + ":" + attempt);
    }

    boolean faulted() {
        return this.lines.stream().anyMatch(l -> l.is(Effects.FAULT));
    }

    void check(boolean holds, String violation) {
        this.checks++;
        if (!holds) {
            violation(violation);
        }
    }

    private void violation(String violation) {
        this.violations.add("seed " + Long.toHexString(this.plan.seed()) + ": " + violation);
    }

    private boolean descends(Row row, String ancestor) {
        for (Row r = row; r != null; r = (r.parentId() != null) ? this.byId.get(r.parentId()) : null) {
            if (r.id().equals(ancestor)) {
                return true;
            }
        }
        return false;
    }

    private void checkCancel(Operation.Observations seen) {
        if (seen.cancelled == null) {
            return;
        }
        // created_at is the engine's clock, the database's within milliseconds: a margin keeps the doubtful ones out
        java.time.Instant after = seen.cancelledAt.plusMillis(200);
        // A cancellation ends what is open in the tree; a call that had FAILED stays FAILED, and the operator may retry
        // it afterwards, which runs it again: what it records then is the retry's doing. The last cancel line is the
        // one that went through (a failed one is tried again at the next look).
        Set<String> retriedAfter = new HashSet<>();
        for (Line line : this.lines) {
            if (line.is(Effects.OP) && line.field(1).equals("cancel")) {
                retriedAfter.clear();
            } else if (line.is(Effects.OP) && line.field(1).equals("retry")) {
                retriedAfter.add(line.invocation());
            }
        }
        for (Line line : this.lines) {
            Row row = line.is(Effects.START) ? this.byId.get(line.invocation()) : null;
            if (row != null
                    && this.cancelledTree.contains(row.id())
                    && retriedAfter.stream().noneMatch(retried -> descends(row, retried))) {
                check(
                        !row.createdAt().isAfter(after),
                        "node " + line.node() + " (" + line.invocation() + ") was"
                                + " recorded at " + row.createdAt() + ", after its ancestor was cancelled ("
                                + seen.cancelledAt
                                + "), and ran (issue 14 item 7: steps recorded without checking the caller still owns its call)");
            }
        }
    }

    private void checkEnds(boolean ended) {
        check(ended, "the scenario did not end within " + Operation.DEADLINE);
        for (Row row : this.byNode.values()) {
            String message = row.errorMessage();
            boolean nul = message != null && message.indexOf('\u0000') >= 0;
            check(
                    (message == null || message.length() <= MAX_ERROR_MESSAGE) && !nul,
                    "node " + row.node()
                            + " stores an error message of " + (message == null ? 0 : message.length()) + " characters"
                            + (nul ? " with a NUL" : "") + " (issue 14 item 10: error text stored unbounded and raw)");
            check(
                    row.terminal(),
                    "node " + row.node() + " (" + row.id() + ", " + row.function() + ") is still " + row.status()
                            + " after " + Operation.DEADLINE + hint(row));
            check(
                    row.attempts() <= row.maxAttempts(),
                    "node " + row.node() + " took " + row.attempts() + " attempts of " + row.maxAttempts()
                            + " (issue 14 item 8 if a fault let an older attempt's late end through)");
        }
    }

    /** Where a known bug explains a call that does not end. */
    private String hint(Row row) {
        for (Plan.Node node : this.plan.nodes()) {
            if (node.odd().equals("cycle")) {
                return " (issue 14 item 4 if it waits for node " + node.index()
                        + ", whose exception's causes go round)";
            }
        }
        return "";
    }

    private void checkBodies() {
        Set<String> inFlightAtFault = new HashSet<>(); // runs (invocation + attempt) that a fault found in flight
        Set<String> running = new HashSet<>();
        Set<String> startedAfterSuccess = new HashSet<>(); // reported at their start
        // runs started again while one ran: a claim took over an expired lease (a node paused or was starved), and a
        // resumed parent keeps its attempt number across claims; the older run's end is fenced
        Set<String> takenOver = new HashSet<>();
        boolean stalled = false;
        for (Line line : this.lines) {
            String run = line.is(Effects.START) || line.is(Effects.END) ? line.invocation() + "/" + line.attempt() : "";
            if (line.is(Effects.FAULT)) {
                stalled = stalling(line, stalled);
                inFlightAtFault.addAll(running);
            } else if (line.is(Effects.START)) {
                if (!running.add(run)) {
                    takenOver.add(run);
                }
                if (line.field(4).equals("SUCCEEDED")) {
                    startedAfterSuccess.add(run);
                }
                if (stalled) {
                    inFlightAtFault.add(run);
                }
                check(
                        !line.field(4).equals("SUCCEEDED"),
                        "the body of node " + line.node() + " (" + line.invocation()
                                + ") started attempt " + line.attempt() + " while its call was recorded SUCCEEDED"
                                + (this.retried.isEmpty()
                                        ? " (issue 14 items 7/8: no fencing)"
                                        : " (issue 14 item 1: a retried" + " parent re-ran a finished child)"));
            } else if (line.is(Effects.END)) {
                running.remove(run);
                boolean same = line.field(7).equals(String.valueOf(line.attempt()));
                // a body whose lease a fault took keeps running while the next attempt runs: a repeat for a call in
                // flight at a fault, which is allowed; its end must then be discarded
                boolean allowed = (!same && inFlightAtFault.contains(run))
                        || startedAfterSuccess.contains(run)
                        || takenOver.contains(run);
                String by = same
                        ? " as attempt " + line.attempt()
                                + "'s, by an older attempt's late end or another node (issue 14"
                                + " item 8: ends fenced by node, not by attempt)"
                        : " by attempt " + line.field(7) + " with no fault in flight (issue 14 items 7/8)";
                check(
                        !line.field(6).equals("SUCCEEDED") || allowed,
                        "the body of node " + line.node() + " ("
                                + line.invocation() + ") was still running attempt " + line.attempt()
                                + " when its call was recorded SUCCEEDED" + by);
            }
        }
    }

    /** Whether the heartbeat stalls after this fault line: a stall is a window, the runs it sees start are in flight. */
    private static boolean stalling(Line fault, boolean stalled) {
        return fault.field(1).equals("heartbeat-stall")
                || (stalled && !fault.field(1).equals(Operation.STALL_END));
    }

    private void checkRepeats() {
        Map<String, Boolean> excused = new HashMap<>();
        Map<String, Integer> runsSinceRetry = new HashMap<>();
        boolean stalled = false;
        for (Line line : this.lines) {
            if (line.is(Effects.FAULT)) {
                stalled = stalling(line, stalled);
                excused.replaceAll((id, e) -> true);
            } else if (line.is(Effects.OP) && line.field(1).equals("retry")) {
                excused.put(line.invocation(), true);
                runsSinceRetry.put(line.invocation(), 0);
            } else if (line.is(Effects.END) && line.field(4).equals("FAIL")) {
                excused.put(line.invocation(), true);
            } else if (line.is(Effects.START)
                    && !this.plan.node(line.node()).isParent()
                    && !line.field(4).equals("SUCCEEDED")) { // reported as such
                Boolean before = excused.put(line.invocation(), stalled);
                Plan.Node node = this.plan.node(line.node());
                check(
                        before == null || before,
                        "leaf " + line.node() + " (" + line.invocation() + ") ran again"
                                + " (attempt " + line.attempt()
                                + ") with no failure, fault or retry since its previous run"
                                + (node.odd().equals("nul")
                                        ? " (issue 14 item 10: a NUL in its error)"
                                        : " (its lease expired with no fault injected: a pause of the machine longer"
                                                + " than a lease, or a lease not renewed)"));
                if (line.field(4).equals("NONE")) {
                    // an inline call with no row yet: no earlier run of it was recorded (a fault lost its record, and
                    // its caller ran it again), so none of them used an attempt
                    runsSinceRetry.put(line.invocation(), 0);
                }
                int runs = runsSinceRetry.merge(line.invocation(), 1, Integer::sum);
                Row row = this.byId.get(line.invocation());
                if (row != null) {
                    check(
                            runs <= row.maxAttempts(),
                            "leaf " + line.node() + " ran " + runs + " times, more than its " + row.maxAttempts()
                                    + " attempts, with no operator retry in between (issue 14 item 8 if a fault let an"
                                    + " older attempt's late end through)");
                }
            }
        }
    }
}
