package com.example.faults;

import com.example.faults.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks one run of the workflow from start to finish against the invariants, from the effects log, the database at
 * the end, and the faults injected on the way:
 *
 * <ul>
 *   <li>the root SUCCEEDED once, with the result of a run without faults;
 *   <li>every call is recorded once and completed (SUCCEEDED, or FAILED for the calls planned to fail for good), and
 *       its body ran to its end; a call that is not is <em>lost</em>;
 *   <li>a call runs more than once only when a fault interrupted its earlier run: each earlier run must have been in
 *       flight at a fault (at most one run per call per fault), and a fault interrupts at most the runs of the calls a node holds (workers and claim-ahead);
 *       any other repeat is a repeat <em>beyond in-flight</em>;
 *   <li>a call that the database had finished at a fault never runs again after it.
 * </ul>
 */
final class Audit {

    /**
     * A fault during the run.
     *
     * @param name how to name it in a message
     * @param inFlight whether a run of a call was interrupted by this fault: it may have run again
     * @param finished calls the database had finished at this fault: they must not run again
     * @param laterPids processes started after the fault
     */
    record Fault(String name, Predicate<Effects.Entry> inFlight, Set<String> finished, Set<Long> laterPids) {}

    final List<String> violations = new ArrayList<>();

    final int calls;

    int lost;

    int repeatedInFlight;

    int repeatedBeyondInFlight;

    private Audit(int size) {
        this.calls = Workflow.calls(size).size() + 1; // and the root
    }

    /**
     * @param workers the node's workers; a fault may repeat at most the attempts that ran on a node and were not
     *     recorded yet: workers + claim-ahead (twice the workers by default)
     */
    static Audit check(int size, Effects effects, Rows end, List<Fault> faults, int workers) {
        Audit audit = new Audit(size);
        audit.checkRoot(size, end);
        audit.checkCalls(size, effects, end);
        audit.checkRepeats(size, effects, faults, workers);
        return audit;
    }

    private void checkRoot(int size, Rows end) {
        String expected = "\"" + Workflow.expected(size) + "\"";
        if (end.roots().size() != 1) {
            this.violations.add("the root is recorded " + end.roots().size() + " times");
        }
        for (String[] root : end.roots()) {
            if (!"SUCCEEDED".equals(root[0]) || !expected.equals(root[1])) {
                this.lost++;
                this.violations.add("the root ended " + root[0] + " with " + root[1] + " instead of SUCCEEDED with "
                        + expected + " (the result of a run without faults)");
            }
        }
    }

    private void checkCalls(int size, Effects effects, Rows end) {
        List<String> expected = Workflow.calls(size);
        for (String call : expected) {
            boolean failsForGood = Workflow.failsForGood(call);
            String status = end.calls().get(call);
            String wanted = failsForGood ? "FAILED" : "SUCCEEDED";
            String endLine = failsForGood ? "FAIL" : "DONE";
            if (!wanted.equals(status)) {
                this.lost++;
                this.violations.add(call + " is " + (status != null ? status : "not recorded") + ", not " + wanted);
            } else if (effects.count(endLine, call) == 0) {
                this.lost++;
                this.violations.add(call + " is " + status + " but its body never reached its end (" + endLine + ")");
            }
        }
        for (String call : end.duplicates()) {
            this.violations.add(call + " is recorded more than once: a step was recorded again");
        }
        for (String call : end.calls().keySet()) {
            if (!expected.contains(call)) {
                this.violations.add(call + " is recorded but the workflow never makes it");
            }
        }
    }

    private void checkRepeats(int size, Effects effects, List<Fault> faults, int workers) {
        Map<Fault, Integer> interrupted = new HashMap<>();
        for (String call : Workflow.calls(size)) {
            List<Effects.Entry> runs = effects.runs(call);
            Set<Fault> used = new HashSet<>();
            for (Effects.Entry run : runs.subList(0, Math.max(0, runs.size() - 1))) {
                Fault fault = faults.stream()
                        .filter(f -> !used.contains(f) && f.inFlight().test(run))
                        .findFirst()
                        .orElse(null);
                if (fault != null) {
                    used.add(fault);
                    interrupted.merge(fault, 1, Integer::sum);
                    this.repeatedInFlight++;
                } else {
                    this.repeatedBeyondInFlight++;
                    this.violations.add(
                            call + " ran again after " + run + ", which no fault interrupted; runs: " + runs);
                }
            }
            for (Fault fault : faults) {
                if (fault.finished().contains(call)) {
                    runs.stream()
                            .filter(run -> fault.laterPids().contains(run.pid()))
                            .forEach(run -> this.violations.add(
                                    call + " was finished at " + fault.name() + ", yet ran again after it: " + run));
                }
            }
        }
        interrupted.forEach((fault, count) -> {
            int held = 3 * workers;
            if (count > held) {
                this.violations.add(count + " calls ran again after " + fault.name() + ", more than the " + held
                        + " calls a node with " + workers + " workers holds at once (workers and claim-ahead)");
            }
        });
    }
}
