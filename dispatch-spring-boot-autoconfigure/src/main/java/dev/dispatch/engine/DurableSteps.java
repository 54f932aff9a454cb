package dev.dispatch.engine;

import dev.dispatch.CallFailedException;
import dev.dispatch.DispatchId;
import dev.dispatch.DispatchOptions;
import dev.dispatch.NonDeterminismException;
import dev.dispatch.aop.FunctionDefinition;
import dev.dispatch.store.CallGroup;
import dev.dispatch.store.ChildOutcome;
import dev.dispatch.store.ClaimedInvocation;
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

    private final AttemptRunner runner;

    private final StepResults results;

    private final EngineSettings settings;

    private final EngineListener listener;

    private final TraceContexts traces;

    private final Deadlines deadlines;

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
        this.runner = runner;
        this.results = results;
        this.settings = settings;
        this.listener = listener;
        this.traces = traces;
        this.deadlines = deadlines;
    }

    /**
     * A direct call of a durable function from a running one: run inline on this thread so a chain of calls needs no
     * suspension on the happy path, and recorded with its end (or before its first step if it makes any). A child that fails and will retry, or suspends, suspends the
     * caller; so does a child of a function with a concurrency limit, which waits for a slot instead of running inline.
     */
    @Nullable
    Object call(Execution execution, Captured call) {
        int step = execution.nextStep();
        stopIfPastDeadline(execution);
        List<Captured> calls = List.of(call);
        String signature = StepKeys.signature(calls);
        CallGroup recorded = recorded(execution, step, GroupKind.CALL, calls, signature);
        if (recorded != null) {
            return this.results.single(decided(execution, recorded).get(0));
        }
        String groupId = StepKeys.groupId(execution.id(), step);
        Instant now = this.clock.now();
        FunctionDefinition function = call.function();
        String trace = this.traces.capture("call", 1);
        // A call of a function with a concurrency limit waits for a slot like any other: never inline.
        boolean inline = !function.runsQueued();
        NewInvocation row = CallRows.child(
                execution,
                step,
                groupId,
                0,
                call,
                now,
                inline ? now.plus(this.settings.leaseDuration()) : null,
                null,
                trace,
                execution.invocation().deadlineAt());
        String childId = row.id();
        NewGroup group = new NewGroup(groupId, execution.id(), step, GroupKind.CALL, 1, signature);
        if (!inline) {
            recordOrLose(execution, group, List.of(row), now);
            Captured.announce(this.listener, calls);
            this.ready.offer(row);
            return this.results.single(await(execution, groupId).outcomes().get(0));
        }
        Captured.announce(this.listener, calls);
        ClaimedInvocation child = new ClaimedInvocation(
                childId,
                function.name(),
                call.json(),
                1,
                function.maxAttempts(),
                execution.id(),
                execution.invocation().rootId(),
                groupId,
                GroupKind.CALL,
                now,
                false,
                trace,
                execution.invocation().deadlineAt(),
                0,
                0, // priority and turn: this hold never goes through a claim
                0);
        // Its rows are written with its end (one transaction per step), or before its first step if it makes any.
        FirstRecord first = new FirstRecord(group, row, execution.invocation().epoch());
        AttemptResult result = this.runner.runDetached(child, first);
        if (!first.written()) {
            // not written: this caller is no longer running under this node's lease (cancelled, or taken over)
            throw execution.loseLease();
        }
        if (result.kind() == AttemptResult.Kind.SUCCEEDED) {
            return result.value();
        }
        if (result.kind() == AttemptResult.Kind.FAILED && result.error() != null) {
            throw new CallFailedException(
                    DispatchId.of(childId),
                    function.name(),
                    result.status(),
                    result.error().type(),
                    result.error().message(),
                    result.failure());
        }
        return this.results.single(await(execution, groupId).outcomes().get(0));
    }

    /** dispatch / batch inside a durable function: recorded once, never awaited. */
    List<DispatchId> fireAndForget(Execution execution, GroupKind kind, List<Captured> calls, DispatchOptions options) {
        int step = execution.nextStep();
        stopIfPastDeadline(execution);
        if (calls.isEmpty()) {
            return List.of();
        }
        String signature = StepKeys.signature(calls);
        CallGroup recorded = recorded(execution, step, kind, calls, signature);
        if (recorded == null) {
            String groupId = record(execution, step, kind, calls, signature, options);
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
        stopIfPastDeadline(execution);
        String groupId = StepKeys.groupId(execution.id(), step);
        CallGroup recorded = recorded(execution, step, GroupKind.SLEEP, List.of(), "sleep");
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
    @Nullable
    Decided await(Execution execution, GroupKind kind, List<Captured> calls) {
        int step = execution.nextStep();
        stopIfPastDeadline(execution);
        if (calls.isEmpty()) {
            return null;
        }
        String signature = StepKeys.signature(calls);
        CallGroup recorded = recorded(execution, step, kind, calls, signature);
        if (recorded == null) {
            return await(execution, record(execution, step, kind, calls, signature, DispatchOptions.none()));
        }
        List<ChildOutcome> known = recordedOutcomes(execution, recorded);
        return (known != null) ? new Decided(recorded, known) : await(execution, recorded.getId());
    }

    /**
     * {@code await(id)} inside a durable function: a step that waits, suspended, for an invocation recorded elsewhere
     * (housekeeping decides it once that invocation has finished), and answers from the record on a replay.
     */
    ChildOutcome awaitInvocation(Execution execution, String targetId) {
        int step = execution.nextStep();
        stopIfPastDeadline(execution);
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
                    describe(recorded.getKind(), recorded.getSize(), 0, null),
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
            await(execution, groupId);
        }
        return this.store.findOutcomes(List.of(targetId)).get(0);
    }

    /** The outcomes of a recorded step, from the journal if it was decided when loaded, else by waiting for it. */
    private List<ChildOutcome> decided(Execution execution, CallGroup recorded) {
        List<ChildOutcome> known = recordedOutcomes(execution, recorded);
        return (known != null) ? known : await(execution, recorded.getId()).outcomes();
    }

    private static @Nullable List<ChildOutcome> recordedOutcomes(Execution execution, CallGroup recorded) {
        return (recorded.getDecidedAt() != null)
                ? execution.journal(() -> Journal.EMPTY).outcomes(recorded.getId())
                : null;
    }

    private String record(
            Execution execution,
            int step,
            GroupKind kind,
            List<Captured> calls,
            String signature,
            DispatchOptions options) {
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
        recordOrLose(execution, new NewGroup(groupId, execution.id(), step, kind, calls.size(), signature), rows, now);
        Captured.announce(this.listener, calls);
        rows.forEach(row -> this.ready.offerAt(row, firstRun));
        return groupId;
    }

    /**
     * Records a step and its calls while this attempt still holds its function; otherwise (cancelled, past its deadline,
     * taken over) nothing is written and the attempt unwinds.
     */
    private void recordOrLose(Execution execution, NewGroup group, List<NewInvocation> rows, Instant now) {
        Boolean recorded = this.tx.execute(status ->
                this.store.recordStep(execution.id(), execution.invocation().epoch(), group, rows, now));
        if (!Boolean.TRUE.equals(recorded)) {
            throw execution.loseLease();
        }
    }

    /**
     * A function past its deadline makes no more durable calls: its tree ends (if housekeeping has not ended it yet) and
     * the attempt unwinds without recording anything more.
     */
    private void stopIfPastDeadline(Execution execution) {
        if (execution.invocation().pastDeadline(this.clock.now())) {
            this.deadlines.expire(execution.id());
            throw execution.loseLease();
        }
    }

    /** Suspends on an undecided step, or returns it if it got decided meanwhile. */
    private Decided await(Execution execution, String groupId) {
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
    private @Nullable CallGroup recorded(
            Execution execution, int step, GroupKind kind, List<Captured> calls, String signature) {
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
    private static String describe(GroupKind kind, int size, int index, @Nullable String call) {
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
