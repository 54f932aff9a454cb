package dev.dispatch.engine;

import dev.dispatch.AnyFailedException;
import dev.dispatch.CallFailedException;
import dev.dispatch.DispatchId;
import dev.dispatch.InvocationStatus;
import dev.dispatch.Settled;
import dev.dispatch.Status;
import dev.dispatch.aop.FunctionDefinition;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.codec.IncompatibleStateException;
import dev.dispatch.codec.JsonCodec;
import dev.dispatch.store.ChildOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Turns the recorded outcomes of a decided step into what the operation returns or throws. */
final class StepResults {

    private final FunctionRegistry registry;

    private final JsonCodec codec;

    StepResults(FunctionRegistry registry, JsonCodec codec) {
        this.registry = registry;
        this.codec = codec;
    }

    /** gather / all: every result in position order, or the step's first failure thrown. */
    List<@Nullable Object> gather(List<ChildOutcome> outcomes, @Nullable String firstFailureId) {
        if (firstFailureId != null) {
            throw failure(find(outcomes, firstFailureId));
        }
        List<Object> results = new ArrayList<>(outcomes.size());
        for (ChildOutcome outcome : outcomes) {
            results.add(value(outcome));
        }
        return results;
    }

    /** gatherSettled: every outcome in position order, failures included. */
    // Settled<@Nullable Object>: NullAway reads nullable type arguments in JSpecify mode only
    @SuppressWarnings("NullAway")
    List<Settled<@Nullable Object>> settled(List<ChildOutcome> outcomes) {
        List<Settled<@Nullable Object>> settled = new ArrayList<>(outcomes.size());
        for (ChildOutcome outcome : outcomes) {
            settled.add(
                    InvocationStatus.SUCCEEDED.name().equals(outcome.status())
                            ? Settled.success(DispatchId.of(outcome.id()), value(outcome))
                            : Settled.failure(failure(outcome)));
        }
        return settled;
    }

    /** any: the winner's result, or every failure when there is no winner. */
    @Nullable
    Object any(List<ChildOutcome> outcomes, @Nullable String winnerId) {
        if (winnerId != null) {
            return value(find(outcomes, winnerId));
        }
        List<CallFailedException> failures = new ArrayList<>(outcomes.size());
        for (ChildOutcome outcome : outcomes) {
            failures.add(failure(outcome));
        }
        throw new AnyFailedException(failures);
    }

    /** race: the winner's result, or its failure thrown. */
    @Nullable
    Object race(List<ChildOutcome> outcomes, @Nullable String winnerId) {
        if (winnerId == null) {
            throw new IllegalStateException("A decided race has no winner in the record");
        }
        return single(find(outcomes, winnerId));
    }

    /** One call's result, or its failure thrown. */
    @Nullable
    Object single(ChildOutcome outcome) {
        if (InvocationStatus.SUCCEEDED.name().equals(outcome.status())) {
            return value(outcome);
        }
        throw failure(outcome);
    }

    private @Nullable Object value(ChildOutcome outcome) {
        FunctionDefinition function = this.registry.byName(outcome.function());
        if (function == null) {
            throw new IncompatibleStateException("The result of " + outcome.function() + " [" + outcome.id()
                    + "] cannot be read: this application has no such function");
        }
        return this.codec.decodeResult(function.name(), outcome.result(), function.returnType());
    }

    static CallFailedException failure(ChildOutcome outcome) {
        Status status = InvocationStatus.CANCELLED.name().equals(outcome.status())
                ? Status.CANCELLED
                : (outcome.errorStatus() != null ? Status.valueOf(outcome.errorStatus()) : Status.PERMANENT_ERROR);
        return new CallFailedException(
                DispatchId.of(outcome.id()),
                outcome.function(),
                status,
                outcome.errorType(),
                outcome.errorMessage(),
                null);
    }

    private static ChildOutcome find(List<ChildOutcome> outcomes, String id) {
        for (ChildOutcome outcome : outcomes) {
            if (Objects.equals(outcome.id(), id)) {
                return outcome;
            }
        }
        throw new IllegalStateException("Step outcome " + id + " is missing from the record");
    }
}
