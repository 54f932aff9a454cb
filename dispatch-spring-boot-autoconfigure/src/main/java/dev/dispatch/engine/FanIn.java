package dev.dispatch.engine;

import dev.dispatch.Settled;
import dev.dispatch.codec.JsonCodec;
import dev.dispatch.store.GroupKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The dispatcher's fan-in operations ({@code gather}, {@code gatherSettled}, {@code any}, {@code race}) and how their
 * calls are captured: in a running function one awaited step, outside one a wait for new roots.
 */
final class FanIn {

    private final JsonCodec codec;

    private final EngineSettings settings;

    private final DurableSteps steps;

    private final RootCalls roots;

    private final StepResults results;

    FanIn(JsonCodec codec, EngineSettings settings, DurableSteps steps, RootCalls roots, StepResults results) {
        this.codec = codec;
        this.settings = settings;
        this.steps = steps;
        this.roots = roots;
        this.results = results;
    }

    @SuppressWarnings("unchecked")
    <T extends @Nullable Object> List<T> gather(List<Captured> calls) {
        Object result = combine(GroupKind.GATHER, calls);
        return (result != null) ? (List<T>) result : List.of();
    }

    @SuppressWarnings("unchecked")
    <T extends @Nullable Object> List<Settled<T>> settled(List<Captured> calls) {
        Object result = combine(GroupKind.SETTLED, calls);
        return (result != null) ? (List<Settled<T>>) result : List.of();
    }

    @Nullable
    Object combine(GroupKind kind, List<Captured> calls) {
        Execution execution = Execution.current();
        if (execution == null) {
            return calls.isEmpty() ? null : this.roots.awaitOutside(kind, calls);
        }
        StepRecords.Decided decided = execution.recording(() -> this.steps.await(execution, kind, calls));
        if (decided == null) {
            return null;
        }
        return switch (kind) {
            case ANY -> this.results.any(decided.outcomes(), decided.group().getWinnerId());
            case RACE -> this.results.race(decided.outcomes(), decided.group().getWinnerId());
            case SETTLED -> this.results.settled(decided.outcomes());
            default -> this.results.gather(decided.outcomes(), decided.group().getFirstFailureId());
        };
    }

    Captured capture(String operation, Runnable call) {
        return CallCapture.captureOne(this.codec, operation, call);
    }

    /**
     * Refuses a step of more calls than {@code dispatch.max-calls-per-step} before any is captured or recorded.
     *
     * @throws IllegalArgumentException naming the operation, the function that makes it and the limit
     */
    void checkStepSize(String operation, int size) {
        int max = this.settings.maxCallsPerStep();
        if (size > max) {
            Execution execution = Execution.current();
            String in = (execution != null) ? " in " + execution.function().name() : " outside any durable function";
            throw new IllegalArgumentException(operation + in + " makes " + size + " calls in one step, over"
                    + " dispatch.max-calls-per-step (" + max + "); nothing was recorded. Split the calls into"
                    + " several steps (e.g. gather chunks in turn, or dispatch a child function per chunk)");
        }
    }

    /** One call per input, {@code function} applied to it; checked against the step limit before any is captured. */
    <A extends @Nullable Object> List<Captured> captureEach(
            String operation, Collection<? extends A> inputs, Function<? super A, ?> function) {
        checkStepSize(operation, inputs.size());
        List<Captured> captured = new ArrayList<>(inputs.size());
        for (A input : inputs) {
            captured.add(capture(operation, () -> function.apply(input)));
        }
        return captured;
    }

    List<Captured> captureAll(String operation, List<? extends Supplier<?>> calls) {
        checkStepSize(operation, calls.size());
        List<Captured> captured = new ArrayList<>(calls.size());
        for (Supplier<?> call : calls) {
            captured.add(capture(operation, call::get));
        }
        return captured;
    }
}
