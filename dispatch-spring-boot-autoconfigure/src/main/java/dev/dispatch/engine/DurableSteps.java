package dev.dispatch.engine;

import dev.dispatch.DispatchId;
import dev.dispatch.DispatchOptions;
import dev.dispatch.NonDeterminismException;
import dev.dispatch.store.CallGroup;
import dev.dispatch.store.ChildOutcome;
import dev.dispatch.store.GroupKind;
import dev.dispatch.store.InvocationStore;
import dev.dispatch.store.NewGroup;
import dev.dispatch.store.NewInvocation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The durable operations of a running function, each one step: answered from the journal when the step is recorded
 * (after checking the replay makes the same calls), recorded otherwise. An awaited step that is not decided suspends
 * the function.
 */
final class DurableSteps {

    private final InvocationStore store;

    private final TransactionOperations tx;

    private final DatabaseClock clock;

    private final ReadyQueue ready;

    private final EngineListener listener;

    private final TraceContexts traces;

    private final StepRecords records;

    private final InlineCalls inline;

    DurableSteps(
            InvocationStore store,
            TransactionOperations tx,
            DatabaseClock clock,
            ReadyQueue ready,
            AttemptRunner runner,
            StepResults results,
            EngineSettings settings,
            EngineListener listener,
            TraceContexts traces,
            Deadlines deadlines) {
        this.store = store;
        this.tx = tx;
        this.clock = clock;
        this.ready = ready;
        this.listener = listener;
        this.traces = traces;
        this.records = new StepRecords(store, tx, clock, deadlines);
        this.inline = new InlineCalls(this.records, clock, ready, runner, results, settings, listener, traces);
    }

    /** A direct call of a durable function from a running one: see {@link InlineCalls#call}. */
    @Nullable
    Object call(Execution execution, Captured call) {
        return this.inline.call(execution, call);
    }

    /** dispatch / batch inside a durable function: recorded once, never awaited. */
    List<DispatchId> fireAndForget(Execution execution, GroupKind kind, List<Captured> calls, DispatchOptions options) {
        int step = execution.nextStep();
        this.records.stopIfPastDeadline(execution);
        if (calls.isEmpty()) {
            this.records.checkNothingRecorded(execution, step, kind);
            return List.of();
        }
        String signature = StepKeys.signature(calls);
        CallGroup recorded = this.records.recorded(execution, step, kind, calls, signature);
        if (recorded == null) {
            String groupId = record(execution, step, kind, calls, signature, options, false);
            // A keyed call may have been recorded before, by anyone: its id is the one recorded with the key (which
            // the step keeps, so that a replay after retention purged the keyed call still answers it).
            String keyed = (options.idempotencyKey() != null)
                    ? this.store.findGroup(groupId).map(CallGroup::getWinnerId).orElse(null)
                    : null;
            return (keyed != null) ? List.of(DispatchId.of(keyed)) : computedIds(execution.id(), step, calls.size());
        }
        return replayedIds(execution, step, recorded, calls.size(), options.idempotencyKey());
    }

    /** The ids a replayed batch or dispatch answers: those its step recorded. */
    private List<DispatchId> replayedIds(
            Execution execution, int step, CallGroup recorded, int size, @Nullable String key) {
        if (key != null) {
            String keyed = recorded.getWinnerId();
            if (keyed == null) {
                // recorded before the step kept it: by the key, or the id the call would have had
                keyed = this.store.findIdByIdempotencyKey(key).orElse(StepKeys.childId(execution.id(), step, 0));
            }
            return List.of(DispatchId.of(keyed));
        }
        List<String> ids = this.store.findChildIds(recorded.getId());
        return (ids.size() == size)
                ? ids.stream().map(DispatchId::of).toList()
                : computedIds(execution.id(), step, size);
    }

    private static List<DispatchId> computedIds(String parentId, int step, int size) {
        List<DispatchId> ids = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            ids.add(DispatchId.of(StepKeys.childId(parentId, step, i)));
        }
        return ids;
    }

    /**
     * A durable sleep: recorded with the time it ends; until then the function is pending again from that time, with
     * no thread held. A replay after the end goes straight on.
     */
    void sleep(Execution execution, Duration duration) {
        int step = execution.nextStep();
        this.records.stopIfPastDeadline(execution);
        String groupId = StepKeys.groupId(execution.id(), step);
        CallGroup recorded = this.records.recorded(execution, step, GroupKind.SLEEP, List.of(), "sleep");
        Instant wakeAt;
        if (recorded != null && recorded.getDecidedAt() != null) {
            wakeAt = recorded.getDecidedAt();
            if (execution.isReplay()) {
                Replayer.pastSleep(execution, step);
                return;
            }
        } else {
            Instant now = this.clock.now();
            wakeAt = now.plus(duration);
            Boolean slept = this.tx.execute(status -> this.store.recordSleep(
                    groupId, execution.id(), execution.invocation().epoch(), step, wakeAt, now));
            if (!Boolean.TRUE.equals(slept)) {
                throw execution.loseLease();
            }
        }
        if (!this.clock.now().isBefore(wakeAt)) {
            return;
        }
        Boolean slept = this.tx.execute(status -> this.store.sleepUntil(
                execution.id(), execution.invocation().epoch(), groupId, wakeAt, this.clock.now()));
        if (!Boolean.TRUE.equals(slept)) {
            throw execution.loseLease();
        }
        this.ready.offerAt(execution.id(), wakeAt);
        throw execution.suspend();
    }

    /** gather / any / race: records the calls if needed and returns the decided step, or suspends. */
    StepRecords.@Nullable Decided await(Execution execution, GroupKind kind, List<Captured> calls) {
        int step = execution.nextStep();
        this.records.stopIfPastDeadline(execution);
        if (calls.isEmpty()) {
            this.records.checkNothingRecorded(execution, step, kind);
            return null;
        }
        String signature = StepKeys.signature(calls);
        CallGroup recorded = this.records.recorded(execution, step, kind, calls, signature);
        if (recorded == null) {
            // new calls cannot have decided their step yet: recorded and suspended on in one transaction
            record(execution, step, kind, calls, signature, DispatchOptions.none(), true);
            throw execution.suspend();
        }
        List<ChildOutcome> known = StepRecords.recordedOutcomes(execution, recorded);
        return (known != null)
                ? new StepRecords.Decided(recorded, known)
                : this.records.await(execution, recorded.getId());
    }

    /**
     * {@code await(id)} inside a durable function: a step that waits, suspended, for an invocation recorded elsewhere
     * (housekeeping decides it once that invocation has finished), and answers from the record on a replay.
     */
    ChildOutcome awaitInvocation(Execution execution, String targetId) {
        int step = execution.nextStep();
        this.records.stopIfPastDeadline(execution);
        String signature = "await:" + targetId;
        String made = "an await of " + targetId;
        CallGroup recorded = execution
                .journal(() -> Journal.load(this.store, execution.id()))
                .step(step);
        if (recorded != null
                && (recorded.getKind() != GroupKind.AWAIT
                        || !recorded.getSignature().equals(signature))) {
            throw execution.nonDeterministic(new NonDeterminismException(
                    execution.function().name(),
                    step,
                    StepRecords.describe(recorded.getKind(), recorded.getSize(), 0, null),
                    made));
        }
        if (execution.isReplay()) {
            if (recorded == null) {
                throw Replayer.beyondHistory(execution, step, made);
            }
            List<ChildOutcome> known = execution.journal(() -> Journal.EMPTY).outcomes(recorded.getId());
            if (recorded.getDecidedAt() == null || known == null || known.isEmpty()) {
                throw execution.suspend();
            }
            return known.get(0);
        }
        String groupId = StepKeys.groupId(execution.id(), step);
        boolean decided;
        if (recorded == null) {
            if (this.store.findStatus(targetId).isEmpty()) {
                throw new IllegalArgumentException(
                        execution.function().name() + " awaits " + targetId + ", but there is no such invocation");
            }
            Instant now = this.clock.now();
            NewGroup group = new NewGroup(groupId, execution.id(), step, GroupKind.AWAIT, 1, signature);
            decided = Boolean.TRUE.equals(this.tx.execute(status -> this.store.insertAwait(group, targetId, now)));
        } else {
            decided = recorded.getDecidedAt() != null;
        }
        if (!decided) {
            this.records.await(execution, groupId);
        }
        return this.store.findOutcomes(List.of(targetId)).get(0);
    }

    /**
     * Records the step's calls and offers them to the claims; with {@code suspend}, suspends the caller on the step in
     * the same transaction (the caller then unwinds with {@link Execution#suspend()}).
     */
    private String record(
            Execution execution,
            int step,
            GroupKind kind,
            List<Captured> calls,
            String signature,
            DispatchOptions options,
            boolean suspend) {
        String groupId = StepKeys.groupId(execution.id(), step);
        Instant now = this.clock.now();
        Instant firstRun = options.firstRunAt(now);
        String trace = this.traces.capture(kind.name().toLowerCase(Locale.ROOT), calls.size());
        Instant deadline = Deadlines.earlier(execution.invocation().deadlineAt(), options.deadlineFrom(now));
        List<NewInvocation> rows = new ArrayList<>(calls.size());
        List<String> ids = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            NewInvocation row = CallRows.prioritized(
                    CallRows.child(
                            execution,
                            step,
                            groupId,
                            i,
                            calls.get(i),
                            firstRun,
                            null,
                            options.idempotencyKey(),
                            trace,
                            deadline),
                    options);
            ids.add(row.id());
            rows.add(row);
        }
        NewGroup group = new NewGroup(groupId, execution.id(), step, kind, calls.size(), signature);
        if (suspend) {
            this.records.recordAndSuspendOrLose(execution, group, rows, now);
        } else {
            this.records.recordOrLose(execution, group, rows, now);
        }
        Captured.announce(this.listener, calls);
        rows.forEach(row -> this.ready.offerAt(row, firstRun));
        return groupId;
    }
}
