package dev.dispatch.sample.runs;

import dev.dispatch.DispatchId;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where a run stands, counted from the engine's {@code dispatch_invocation} rows of its tree.
 *
 * @param id the root invocation
 * @param status the root's status
 * @param createdAt when the root was recorded
 * @param lastCompletedAt when the last call of the tree finished so far
 * @param calls counts per function
 */
public record RunProgress(
        DispatchId id,
        InvocationStatus status,
        Instant createdAt,
        @Nullable Instant lastCompletedAt,
        Map<String, Calls> calls) {

    /**
     * Counts of one function's calls in the run.
     *
     * @param total calls recorded
     * @param succeeded calls that succeeded
     * @param failed calls that failed for good
     * @param unfinished calls pending, running or suspended
     * @param retries failed attempts that were followed by another (or will be: a retry is due)
     */
    public record Calls(long total, long succeeded, long failed, long unfinished, long retries) {

        static final Calls NONE = new Calls(0, 0, 0, 0, 0);

        Calls plus(Calls other) {
            return new Calls(
                    this.total + other.total,
                    this.succeeded + other.succeeded,
                    this.failed + other.failed,
                    this.unfinished + other.unfinished,
                    this.retries + other.retries);
        }
    }

    public Calls of(String function) {
        return this.calls.getOrDefault(function, Calls.NONE);
    }

    /** Whether the root and every call of its tree are done: a batch's calls outlive the root that made them. */
    public boolean finished() {
        return this.status.isTerminal() && this.calls.values().stream().allMatch(c -> c.unfinished() == 0);
    }

    /** From the root's recording to the last call's completion (or to now, while unfinished). */
    public Duration elapsed() {
        Instant end = (finished() && this.lastCompletedAt != null) ? this.lastCompletedAt : Instant.now();
        return Duration.between(this.createdAt, end);
    }
}
