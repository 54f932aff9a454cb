package dev.dispatch.actuate;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One invocation, as {@code GET /actuator/dispatch/{id}} shows it: its state, last error, values (masked unless shown
 * on purpose) and its children by step, each step's children paged.
 *
 * @param invocation the invocation
 * @param errorStatus classification of its last error
 * @param errorStack stack trace of its last error, trimmed
 * @param nextAttemptAt when it may run next
 * @param leaseOwner the node running it
 * @param leaseExpiresAt when that node's lease ends
 * @param arguments its recorded arguments
 * @param result its recorded result
 * @param steps one page of its steps that made calls
 * @param nextStep the step index to ask for ({@code fromStep}) for the next page of steps, {@code null} on the last
 */
public record InvocationDetails(
        InvocationSummary invocation,
        @Nullable String errorStatus,
        @Nullable String errorStack,
        Instant nextAttemptAt,
        @Nullable String leaseOwner,
        @Nullable Instant leaseExpiresAt,
        Value arguments,
        Value result,
        List<Step> steps,
        @Nullable Integer nextStep) {

    /**
     * A recorded JSON value: its size always, the value itself only when shown.
     *
     * @param size length of the JSON text, 0 when there is none
     * @param json the JSON text, or {@code null} when masked or absent
     */
    public record Value(int size, @Nullable String json) {}

    /**
     * One step of the invocation that made calls, with its progress.
     *
     * @param step the step's index
     * @param kind call, dispatch, batch, gather, any or race
     * @param size number of calls
     * @param succeeded calls that succeeded
     * @param failed calls that failed
     * @param cancelled calls that were cancelled
     * @param running calls pending, running or suspended
     * @param decidedAt when the step was decided, for an awaited step
     * @param offset position of the first child shown
     * @param children one page of the step's calls
     */
    public record Step(
            int step,
            String kind,
            int size,
            long succeeded,
            long failed,
            long cancelled,
            long running,
            @Nullable Instant decidedAt,
            int offset,
            List<InvocationSummary> children) {}
}
