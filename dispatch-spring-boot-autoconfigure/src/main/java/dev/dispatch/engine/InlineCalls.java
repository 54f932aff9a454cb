package dev.dispatch.engine;

import dev.dispatch.CallFailedException;
import dev.dispatch.DispatchId;
import dev.dispatch.aop.FunctionDefinition;
import dev.dispatch.store.CallGroup;
import dev.dispatch.store.ClaimedInvocation;
import dev.dispatch.store.GroupKind;
import dev.dispatch.store.NewGroup;
import dev.dispatch.store.NewInvocation;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Direct calls of durable functions from running ones: run inline on the caller's thread, their rows written with
 * their end (or before their first step); the step a caller waits on when they cannot finish inline.
 */
final class InlineCalls {

    private final StepRecords records;

    private final DatabaseClock clock;

    private final ReadyQueue ready;

    private final AttemptRunner runner;

    private final StepResults results;

    private final EngineSettings settings;

    private final EngineListener listener;

    private final TraceContexts traces;

    InlineCalls(
            StepRecords records,
            DatabaseClock clock,
            ReadyQueue ready,
            AttemptRunner runner,
            StepResults results,
            EngineSettings settings,
            EngineListener listener,
            TraceContexts traces) {
        this.records = records;
        this.clock = clock;
        this.ready = ready;
        this.runner = runner;
        this.results = results;
        this.settings = settings;
        this.listener = listener;
        this.traces = traces;
    }

    /**
     * A direct call of a durable function from a running one: run inline on this thread so a chain of calls needs no
     * suspension on the happy path, and recorded with its end (or before its first step if it makes any). A child that
     * fails and will retry, or suspends, suspends the caller; so does a child of a function with a concurrency limit, which waits for a slot instead of running inline.
     */
    @Nullable
    Object call(Execution execution, Captured call) {
        int step = execution.nextStep();
        this.records.stopIfPastDeadline(execution);
        List<Captured> calls = List.of(call);
        String signature = StepKeys.signature(calls);
        CallGroup recorded = this.records.recorded(execution, step, GroupKind.CALL, calls, signature);
        if (recorded != null) {
            return this.results.single(this.records.decided(execution, recorded).get(0));
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
            this.records.recordOrLose(execution, group, List.of(row), now);
            Captured.announce(this.listener, calls);
            this.ready.offer(row);
            return this.results.single(
                    this.records.await(execution, groupId).outcomes().get(0));
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
        return this.results.single(
                this.records.await(execution, groupId).outcomes().get(0));
    }
}
