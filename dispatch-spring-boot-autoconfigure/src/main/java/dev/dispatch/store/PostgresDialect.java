package dev.dispatch.store;

import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.util.ClassUtils;

/**
 * PostgreSQL: one statement picks and takes the rows, skipping those another node is taking ({@code FOR UPDATE SKIP
 * LOCKED}); ids are one array parameter; new work is announced with {@code NOTIFY}; claims of a limited function take
 * turns on a transaction advisory lock.
 */
final class PostgresDialect extends Dialect {

    private static final String CLAIM = """
            WITH claimed AS (
                UPDATE dispatch_invocation SET %3$s
                WHERE id IN (
                    SELECT id FROM dispatch_invocation
                    WHERE %1$s
                    FOR UPDATE SKIP LOCKED)
                RETURNING *)
            SELECT %2$s FROM claimed i LEFT JOIN dispatch_call_group g ON g.id = i.group_id""";

    /** First key of Dispatch's advisory locks ("DSPC"), so they do not meet the application's single-key locks. */
    private static final int LOCK_CLASS = 0x44535043;

    @Override
    List<ClaimedInvocation> claim(
            NamedParameterJdbcTemplate named, String filter, String order, MapSqlParameterSource params) {
        return named.query(
                CLAIM.formatted(filter + " " + order, JdbcClaims.CLAIMED_COLUMNS, JdbcClaims.TAKE),
                params,
                JdbcClaims.CLAIMED);
    }

    /**
     * {@code = ANY(:ids)}: one statement text whatever the number of ids, prepared once per connection. With {@code
     * (status = ...) IS TRUE} beside it the planner takes the primary key for the ids, even with statistics from before
     * a large insert that make the status index look selective.
     */
    @Override
    String idIn(String column, String parameter) {
        return column + " = ANY(:" + parameter + ")";
    }

    @Override
    Object idList(Collection<String> ids) {
        return new SqlArrayValue("varchar", ids.toArray());
    }

    @Override
    boolean insertIfAbsent(JdbcTemplate jdbc, String insert, PreparedStatementSetter values) {
        // the unique key decides, waiting for a concurrent insert of the same key to commit or roll back
        return jdbc.update(insert + " ON CONFLICT (idempotency_key) DO NOTHING", values) == 1;
    }

    /** {@code ON CONFLICT DO NOTHING}: a failed statement would abort the whole transaction. */
    @Override
    void insertUnlessExists(JdbcTemplate jdbc, String insert, @Nullable Object... args) {
        jdbc.update(insert + " ON CONFLICT DO NOTHING", args);
    }

    @Override
    void announce(JdbcTemplate jdbc) {
        // delivered when the transaction commits; repeats within a transaction fold into one
        jdbc.queryForList("SELECT pg_notify('" + PostgresNotifications.CHANNEL + "', '')");
    }

    @Override
    ReadySignals readySignals(DataSource dataSource) {
        return ClassUtils.isPresent("org.postgresql.PGConnection", Dialect.class.getClassLoader())
                ? new PostgresNotifications(dataSource)
                : ReadySignals.NONE;
    }

    @Override
    void lockSlots(JdbcTemplate jdbc, String function) {
        jdbc.queryForList("SELECT pg_advisory_xact_lock(?, hashtext(?))", LOCK_CLASS, function);
    }
}
