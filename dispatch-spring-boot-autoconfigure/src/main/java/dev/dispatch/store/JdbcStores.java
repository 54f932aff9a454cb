package dev.dispatch.store;

import jakarta.persistence.EntityManager;
import java.time.Duration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Builds the store's JDBC implementations for the database detected at startup ({@link DatabaseType#detect}): one
 * implementation of each interface, every difference between databases in the {@link DatabaseType}'s dialect. The
 * auto-configuration builds them through here and backs off when the application defines its own.
 */
public final class JdbcStores {

    private JdbcStores() {}

    /** Invocations and call groups: writes in JDBC batches, entity reads through {@code entityManager}. */
    public static InvocationStore invocationStore(
            JdbcTemplate jdbc, EntityManager entityManager, DatabaseType database) {
        return new JdbcInvocationStore(jdbc, entityManager, database);
    }

    /** Claims and leases. */
    public static Claims claims(JdbcTemplate jdbc, DatabaseType database) {
        return new JdbcClaims(jdbc, database);
    }

    /** Retention with the default batch size. */
    public static Retention retention(JdbcTemplate jdbc, DatabaseType database, Duration succeeded, Duration failed) {
        return new JdbcRetention(jdbc, database, succeeded, failed);
    }

    /**
     * Retention.
     *
     * @param succeeded how long a tree whose root SUCCEEDED is kept after it finished
     * @param failed how long a tree whose root FAILED or was CANCELLED is kept after it finished
     * @param batchSize trees purged per batch
     */
    public static Retention retention(
            JdbcTemplate jdbc, DatabaseType database, Duration succeeded, Duration failed, int batchSize) {
        return new JdbcRetention(jdbc, database, succeeded, failed, batchSize);
    }

    /** Signals and signal waits. */
    public static SignalStore signalStore(JdbcTemplate jdbc, DatabaseType database) {
        return new JdbcSignalStore(jdbc, database);
    }

    /** Cron schedules' rows. */
    public static ScheduleStore scheduleStore(JdbcTemplate jdbc) {
        return new JdbcScheduleStore(jdbc);
    }
}
