package dev.dispatch.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.TransactionDefinition;

/**
 * Everything the store does differently on one database: how a claim takes rows, how a list of ids is bound, how a row
 * is inserted unless its key exists, the database's clock, how other nodes hear of new work, and how claims of a
 * limited function take turns. One instance per database, chosen once at startup by {@link DatabaseType#detect}.
 */
abstract class Dialect {

    /**
     * Takes the invocations matching {@code filter} (a condition on {@code dispatch_invocation}, unqualified), in the
     * order and up to the number {@code order} says ({@code ORDER BY ... LIMIT :limit}, or empty for all), for the
     * owner and times in {@code params}, skipping rows another transaction is taking. Runs in the caller's transaction.
     */
    abstract List<ClaimedInvocation> claim(
            NamedParameterJdbcTemplate named, String filter, String order, MapSqlParameterSource params);

    /** A condition that {@code column} is one of the ids bound to {@code :parameter} by {@link #idList}. */
    String idIn(String column, String parameter) {
        return column + " IN (:" + parameter + ")";
    }

    /** Ids as a parameter of {@link #idIn}. */
    Object idList(Collection<String> ids) {
        return ids;
    }

    /**
     * Inserts with {@code insert} (an {@code INSERT INTO dispatch_invocation ...} statement) unless a row with the same
     * idempotency key exists, or is being inserted by a transaction not yet committed (then waits for it).
     *
     * @return whether the row was inserted
     */
    boolean insertIfAbsent(JdbcTemplate jdbc, String insert, PreparedStatementSetter values) {
        // H2 and InnoDB: a concurrent insert of the key is waited for, and a duplicate key fails only the statement,
        // not the transaction around it
        try {
            return jdbc.update(insert, values) == 1;
        } catch (DuplicateKeyException ex) {
            return false;
        }
    }

    /**
     * Inserts a row with {@code insert} ({@code ?} parameters bound to {@code args}) unless one with its primary key
     * exists, or is being inserted by a transaction not yet committed (then waits for it), without failing the
     * transaction around it.
     */
    void insertUnlessExists(JdbcTemplate jdbc, String insert, @Nullable Object... args) {
        try {
            jdbc.update(insert, args);
        } catch (DuplicateKeyException ex) {
            // H2 and InnoDB fail only the statement: another node made the row first
        }
    }

    /** The database's clock, which all nodes share. */
    Instant now(JdbcTemplate jdbc) {
        Timestamp now = jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", Timestamp.class);
        return (now != null) ? now.toInstant() : Instant.now();
    }

    /** Tells other nodes, when the current transaction commits, that work became due; nothing where none listen. */
    void announce(JdbcTemplate jdbc) {}

    /** How this node hears of due work other nodes record: {@link ReadySignals#NONE} where it only polls. */
    ReadySignals readySignals(DataSource dataSource) {
        return ReadySignals.NONE;
    }

    /**
     * Makes the claims of one limited function take turns across nodes until the calling transaction ends, so each
     * counts what the others claimed. Nothing where one process is the only claimer.
     */
    void lockSlots(JdbcTemplate jdbc, String function) {}

    /** The isolation of the engine's own transactions. */
    int isolationLevel() {
        return TransactionDefinition.ISOLATION_DEFAULT;
    }

    /**
     * Deletes at most {@code limit} rows of {@code table} matching {@code where} (with {@code ?} parameters bound to
     * {@code args}).
     *
     * @return how many were deleted
     */
    int deleteAtMost(JdbcTemplate jdbc, String table, String where, int limit, Object... args) {
        return jdbc.update(
                "DELETE FROM " + table + " WHERE id IN (SELECT id FROM " + table + " WHERE " + where + " LIMIT " + limit
                        + ")",
                args);
    }

    /** An expression for the minute {@code column} falls in, as a time the JDBC driver reads back. */
    String minuteOf(String column) {
        return "DATE_TRUNC('minute', " + column + ")";
    }
}
