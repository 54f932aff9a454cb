package dev.dispatch.actuate;

import java.time.Instant;
import java.util.List;

/**
 * The waits in progress and the signals not taken yet, as {@code GET /actuator/dispatch/signals} shows them, oldest
 * first.
 *
 * @param waits functions waiting in {@code awaitSignal}
 * @param signals signals kept until a wait takes them
 */
public record SignalsView(List<Wait> waits, List<Signal> signals) {

    /**
     * A function waiting for a signal.
     *
     * @param key the signal's key
     * @param invocationId the waiting invocation
     * @param function its function
     * @param since when it started waiting
     * @param timeoutAt when it stops waiting and goes on without one
     */
    public record Wait(String key, String invocationId, String function, Instant since, Instant timeoutAt) {}

    /**
     * A signal no wait has taken.
     *
     * @param id its id
     * @param key its key
     * @param sentAt when it was recorded
     * @param payloadSize the length of its JSON payload (the payload itself is not shown)
     */
    public record Signal(String id, String key, Instant sentAt, int payloadSize) {}
}
