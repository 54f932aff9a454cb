package dev.dispatch.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.log.LogMessage;

/**
 * How many attempts a node runs at once, fitted to the connection pool: each running attempt may hold a connection
 * (the engine's writes, the user's own queries), and the poller, the heartbeat and PostgreSQL's LISTEN need theirs.
 * Unset, workers are the pool's size less {@value #RESERVED}, between 1 and {@value #DEFAULT_WORKERS}; set by hand
 * beyond that, the startup warns with the numbers.
 */
final class WorkerSizing {

    /** Workers when the pool's size is not known. */
    static final int DEFAULT_WORKERS = 16;

    /** Connections left to the poller, the heartbeat, LISTEN and the application itself. */
    static final int RESERVED = 3;

    private static final Log logger = LogFactory.getLog(WorkerSizing.class);

    private WorkerSizing() {}

    /**
     * @param configured {@code dispatch.workers}, or {@code null} when unset
     * @param poolSize the connection pool's maximum size, or {@code null} when unknown
     */
    static int workers(@Nullable Integer configured, @Nullable Integer poolSize) {
        if (configured == null) {
            if (poolSize == null || poolSize <= 0) {
                return DEFAULT_WORKERS;
            }
            return Math.max(1, Math.min(DEFAULT_WORKERS, poolSize - RESERVED));
        }
        if (poolSize != null && poolSize > 0 && configured + RESERVED > poolSize) {
            logger.warn(LogMessage.format(
                    "dispatch.workers=%d with a connection pool of %d: attempts may wait for connections (and time"
                            + " out). Keep the pool at least workers + %d (spring.datasource.hikari.maximum-pool-size=%d)"
                            + " or leave dispatch.workers unset to fit the workers to the pool.",
                    configured, poolSize, RESERVED, configured + RESERVED));
        }
        return configured;
    }
}
