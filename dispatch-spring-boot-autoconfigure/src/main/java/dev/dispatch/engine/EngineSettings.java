package dev.dispatch.engine;

import java.time.Duration;

/**
 * How the engine runs on this node.
 *
 * @param nodeId this node's name in leases
 * @param workers attempts run at once
 * @param pollInterval how often the database is polled for due work that no local signal announced
 * @param leaseDuration how long a running attempt's lease lasts without a heartbeat
 * @param callTimeout how long a direct call from outside any durable function waits for its result
 * @param queueCapacity local ready-queue size; beyond it, work waits for the poller
 * @param claimAhead how many due invocations are claimed ahead of free workers
 * @param shutdownGracePeriod how long running attempts may take to finish when the application stops
 * @param adaptiveConcurrency whether throttled attempts lower a function's concurrency limit on this node (AIMD)
 * @param maxCallsPerStep most calls one step (batch, gather, any, race) may make
 */
public record EngineSettings(
        String nodeId,
        int workers,
        Duration pollInterval,
        Duration leaseDuration,
        Duration callTimeout,
        int queueCapacity,
        int claimAhead,
        Duration shutdownGracePeriod,
        boolean adaptiveConcurrency,
        int maxCallsPerStep) {

    /** The default most calls per step. */
    public static final int DEFAULT_MAX_CALLS_PER_STEP = 100_000;

    public EngineSettings(
            String nodeId,
            int workers,
            Duration pollInterval,
            Duration leaseDuration,
            Duration callTimeout,
            int queueCapacity,
            int claimAhead,
            Duration shutdownGracePeriod,
            boolean adaptiveConcurrency) {
        this(
                nodeId,
                workers,
                pollInterval,
                leaseDuration,
                callTimeout,
                queueCapacity,
                claimAhead,
                shutdownGracePeriod,
                adaptiveConcurrency,
                DEFAULT_MAX_CALLS_PER_STEP);
    }
}
