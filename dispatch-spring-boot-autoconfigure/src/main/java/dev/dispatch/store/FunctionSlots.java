package dev.dispatch.store;

import static dev.dispatch.store.JdbcInvocationStore.time;

import java.time.Instant;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The running slots of a limited function, counted in the database. A claim first takes the dialect's lock on the
 * function (an advisory lock on PostgreSQL, a named lock on MySQL and MariaDB), so claims of it on several nodes take
 * turns until each commits and each counts what the others claimed; on H2 the one scheduler thread of the process is
 * the only claimer.
 */
final class FunctionSlots {

    private final JdbcTemplate jdbc;

    private final Dialect dialect;

    FunctionSlots(JdbcTemplate jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    /** Whether the function has an invocation due to run (before locking anything for it). */
    boolean hasDue(String function, Instant now) {
        return !this.jdbc
                .queryForList("""
                        SELECT id FROM dispatch_invocation WHERE function_name = ? AND status = 'PENDING'
                            AND next_attempt_at <= ? AND (deadline_at IS NULL OR deadline_at > ?)
                        LIMIT 1""", String.class, function, time(now), time(now))
                .isEmpty();
    }

    /**
     * Locks the function's slots until the calling transaction ends: call it once in the transaction that claims,
     * before counting what runs.
     */
    void lock(String function) {
        this.dialect.lockSlots(this.jdbc, function);
    }

    /** How many more invocations of the function this node may start now; {@link #lock} it first. */
    int room(String function, FunctionLimit limit, String owner) {
        Map<String, Object> running = this.jdbc.queryForMap("""
                SELECT COUNT(*) AS everywhere, COALESCE(SUM(CASE WHEN lease_owner = ? THEN 1 ELSE 0 END), 0) AS here
                FROM dispatch_invocation WHERE function_name = ? AND status = 'RUNNING'""", owner, function);
        return limit.room(Rows.intOf(running, "everywhere"), Rows.intOf(running, "here"));
    }
}
