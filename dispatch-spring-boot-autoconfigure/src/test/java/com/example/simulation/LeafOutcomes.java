package com.example.simulation;

import com.example.simulation.TreeRows.Row;

/**
 * Each leaf ends as its plan says: SUCCEEDED if it returns on some attempt (or the operator repaired and retried it),
 * FAILED if it fails for good or on every attempt; a fault that found it in flight may fail a leaf meant to succeed,
 * and a cancel above it may cancel it.
 */
final class LeafOutcomes {

    private final Invariants checks;

    LeafOutcomes(Invariants checks) {
        this.checks = checks;
    }

    void check() {
        for (Plan.Node node : this.checks.plan().nodes()) {
            Row row = this.checks.row(node.index());
            if (node.isParent() || row == null || !row.terminal()) {
                continue;
            }
            long starts = this.checks.lines().stream()
                    .filter(l -> l.is(Effects.START) && l.invocation().equals(row.id()))
                    .count();
            boolean repaired = this.checks.retried(row.id());
            boolean expected = node.behaviour().succeeds() || repaired;
            if (row.status().equals("CANCELLED")) {
                this.checks.check(
                        this.checks.cancelled(row),
                        "leaf " + node.index() + " is CANCELLED though nothing" + " above it was cancelled");
            } else if (expected) {
                // in flight at a fault: its body ran, or a worker had it in hand and was starting it (a node killed
                // between the start mark's commit and the body's first line); a call claimed ahead never is
                boolean inFlight = starts > 0 || this.checks.starting(row.id(), row.attempts());
                this.checks.check(
                        row.status().equals("SUCCEEDED") || (inFlight && this.checks.faulted()),
                        "leaf " + node.index() + " ("
                                + row.id() + ", " + node.behaviour() + " " + node.odd() + ") ended " + row.status()
                                + " ("
                                + row.errorType() + ") where the model says SUCCEEDED, after " + starts + " runs"
                                + (starts == 0 ? " (issue 14 item 5: an attempt lost without running)" : "")
                                + (node.odd().equals("nul") ? " (issue 14 item 10: a NUL in its error)" : ""));
            } else {
                this.checks.check(
                        row.status().equals("FAILED"),
                        "leaf " + node.index() + " (" + node.behaviour() + ") ended " + row.status()
                                + " where the model says FAILED");
            }
        }
    }
}
