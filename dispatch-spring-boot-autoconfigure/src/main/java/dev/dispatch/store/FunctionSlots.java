package dev.dispatch.store;

import static dev.dispatch.store.InvocationStore.time;

import java.time.Instant;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The running slots of a limited function, counted in the database. On PostgreSQL a claim first takes a transaction
 * advisory lock on the function, so claims of it on several nodes take turns until each commits and each counts what
 * the others claimed; elsewhere the one scheduler thread of the process is the only claimer.
 */
final class FunctionSlots {

    /** First key of Dispatch's advisory locks ("DSPC"), so they do not meet the application's single-key locks. */
    private static final int LOCK_CLASS = 0x44535043;

    private final JdbcTemplate jdbc;

    private final boolean postgres;

    FunctionSlots(JdbcTemplate jdbc, boolean postgres) {
        this.jdbc = jdbc;
        this.postgres = postgres;
    }

    /** Whether the function has an invocation due to run (before locking anything for it). */
    boolean hasDue(String function, Instant now) {
        return !this.jdbc
                .queryForList("""
                        SELECT id FROM dispatch_invocation WHERE function_name = ? AND status = 'PENDING'
                            AND next_attempt_at <= ? AND (deadline_at IS NULL OR deadline_at > ?)
                        FETCH FIRST 1 ROWS ONLY""", String.class, function, time(now), time(now))
                .isEmpty();
    }

    /**
     * How many more invocations of the function this node may start now. On PostgreSQL this locks the function until
     * the calling transaction ends: call it in the transaction that claims.
     */
    int room(String function, FunctionLimit limit, String owner) {
        if (this.postgres) {
            this.jdbc.queryForList("SELECT pg_advisory_xact_lock(?, hashtext(?))", LOCK_CLASS, function);
        }
        Map<String, Object> running = this.jdbc.queryForMap("""
                SELECT COUNT(*) AS everywhere, COALESCE(SUM(CASE WHEN lease_owner = ? THEN 1 ELSE 0 END), 0) AS here
                FROM dispatch_invocation WHERE function_name = ? AND status = 'RUNNING'""", owner, function);
        return limit.room(((Number) running.get("everywhere")).intValue(), ((Number) running.get("here")).intValue());
    }
}
