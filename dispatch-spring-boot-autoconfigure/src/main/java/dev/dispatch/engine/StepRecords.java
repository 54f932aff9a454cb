package dev.dispatch.engine;

import dev.dispatch.NonDeterminismException;
import dev.dispatch.store.CallGroup;
import dev.dispatch.store.ChildOutcome;
import dev.dispatch.store.GroupKind;
import dev.dispatch.store.InvocationStore;
import dev.dispatch.store.NewGroup;
import dev.dispatch.store.NewInvocation;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionOperations;

/**
 * A running function's steps as recorded: a step looked up in the journal (checking that the replay makes the same
 * calls), a step recorded while the attempt still holds its function, and an undecided step waited on (suspending).
 */
final class StepRecords {

    private final InvocationStore store;

    private final TransactionOperations tx;

    private final DatabaseClock clock;

    private final Deadlines deadlines;

    StepRecords(InvocationStore store, TransactionOperations tx, DatabaseClock clock, Deadlines deadlines) {
        this.store = store;
        this.tx = tx;
        this.clock = clock;
        this.deadlines = deadlines;
    }

    /**
     * A function past its deadline makes no more durable calls: its tree ends (if housekeeping has not ended it yet) and
     * the attempt unwinds without recording anything more.
     */
    void stopIfPastDeadline(Execution execution) {
        if (execution.invocation().pastDeadline(this.clock.now())) {
            this.deadlines.expire(execution.id());
            throw execution.loseLease();
        }
    }

    /** The outcomes of a recorded step, from the journal if it was decided when loaded, else by waiting for it. */
    List<ChildOutcome> decided(Execution execution, CallGroup recorded) {
        List<ChildOutcome> known = recordedOutcomes(execution, recorded);
        return (known != null) ? known : await(execution, recorded.getId()).outcomes();
    }

    static @Nullable List<ChildOutcome> recordedOutcomes(Execution execution, CallGroup recorded) {
        return (recorded.getDecidedAt() != null)
                ? execution.journal(() -> Journal.EMPTY).outcomes(recorded.getId())
                : null;
    }

    /**
     * Records a step and its calls while this attempt still holds its function; otherwise (cancelled, past its deadline,
     * taken over) nothing is written and the attempt unwinds.
     */
    void recordOrLose(Execution execution, NewGroup group, List<NewInvocation> rows, Instant now) {
        Boolean recorded = this.tx.execute(status ->
                this.store.recordStep(execution.id(), execution.invocation().epoch(), group, rows, now));
        if (!Boolean.TRUE.equals(recorded)) {
            throw execution.loseLease();
        }
    }

    /**
     * Records a step of new calls and suspends on it, in one transaction (nothing of it can be decided before that
     * commits); otherwise (cancelled, past its deadline, taken over) nothing is written and the attempt unwinds. The
     * caller offers the calls, then unwinds with {@link Execution#suspend()}.
     */
    void recordAndSuspendOrLose(Execution execution, NewGroup group, List<NewInvocation> rows, Instant now) {
        Boolean recorded = this.tx.execute(status -> {
            boolean done = this.store.recordStepAndSuspend(
                    execution.id(), execution.invocation().epoch(), group, rows, now);
            if (!done) {
                status.setRollbackOnly();
            }
            return done;
        });
        if (!Boolean.TRUE.equals(recorded)) {
            throw execution.loseLease();
        }
    }

    /** Suspends on an undecided step, or returns it if it got decided meanwhile. */
    Decided await(Execution execution, String groupId) {
        InvocationStore.SuspendOutcome outcome = this.tx.execute(status ->
                this.store.suspend(execution.id(), execution.invocation().epoch(), groupId, this.clock.now()));
        if (outcome == InvocationStore.SuspendOutcome.SUSPENDED) {
            throw execution.suspend();
        }
        if (outcome != InvocationStore.SuspendOutcome.DECIDED) {
            throw execution.loseLease();
        }
        CallGroup group = this.store.findGroup(groupId).orElseThrow();
        return new Decided(group, this.store.findChildOutcomes(groupId));
    }

    /** The recorded step at this index after checking the replay makes the same calls, or null if none. */
    @Nullable
    CallGroup recorded(Execution execution, int step, GroupKind kind, List<Captured> calls, String signature) {
        CallGroup group = execution
                .journal(() -> Journal.load(this.store, execution.id()))
                .step(step);
        if (group == null) {
            if (execution.isReplay()) {
                throw Replayer.beyondHistory(execution, step, describe(kind, calls.size(), 0, first(calls)));
            }
            return null;
        }
        if (group.getKind() != kind
                || group.getSize() != calls.size()
                || !group.getSignature().equals(signature)) {
            throw execution.nonDeterministic(mismatch(execution, step, group, kind, calls));
        }
        if (execution.isReplay() && kind.isAwaited() && group.getDecidedAt() == null) {
            // the recorded run waits here: as far as the history goes, today's code made the same steps
            throw execution.suspend();
        }
        return group;
    }

    /**
     * A step with no calls (an empty batch, gather, any...) records nothing: a step recorded at its index is another
     * step, which this code no longer makes.
     */
    void checkNothingRecorded(Execution execution, int step, GroupKind kind) {
        CallGroup group = execution
                .journal(() -> Journal.load(this.store, execution.id()))
                .step(step);
        if (group != null) {
            throw execution.nonDeterministic(mismatch(execution, step, group, kind, List.of()));
        }
    }

    private NonDeterminismException mismatch(
            Execution execution, int step, CallGroup group, GroupKind kind, List<Captured> calls) {
        List<String[]> recordedCalls = this.store.findCalls(group.getId());
        int differing = 0;
        while (differing < Math.min(recordedCalls.size(), calls.size())
                && recordedCalls.get(differing)[0].equals(
                        calls.get(differing).function().name())
                && recordedCalls.get(differing)[1].equals(calls.get(differing).json())) {
            differing++;
        }
        String recorded = describe(
                group.getKind(),
                recordedCalls.size(),
                differing,
                differing < recordedCalls.size()
                        ? recordedCalls.get(differing)[0]
                                + Captured.arguments(recordedCalls.get(differing)[1])
                        : null);
        String replayed = describe(
                kind,
                calls.size(),
                differing,
                differing < calls.size() ? calls.get(differing).describe() : null);
        return new NonDeterminismException(execution.function().name(), step, recorded, replayed);
    }

    private static @Nullable String first(List<Captured> calls) {
        return calls.isEmpty() ? null : calls.get(0).describe();
    }

    /** "the call f(1)", or "a gather of 3 calls whose call 2 is f(1)". */
    static String describe(GroupKind kind, int size, int index, @Nullable String call) {
        if (kind == GroupKind.CALL) {
            return "the call " + call;
        }
        String what = "a " + kind.name().toLowerCase(Locale.ROOT) + " of " + size + (size == 1 ? " call" : " calls");
        return (call != null) ? what + " whose call " + (index + 1) + " is " + call : what;
    }

    /**
     * A decided step: its record and its children's outcomes in position order.
     *
     * @param group the step
     * @param outcomes the children's outcomes
     */
    record Decided(CallGroup group, List<ChildOutcome> outcomes) {}
}
