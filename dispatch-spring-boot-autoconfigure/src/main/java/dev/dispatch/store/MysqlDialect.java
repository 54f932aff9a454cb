package dev.dispatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * MySQL 8.0+ and MariaDB 10.6+ (InnoDB). An update cannot return its rows, so a claim is three statements in the
 * caller's transaction: pick the ids with {@code SELECT ... FOR UPDATE SKIP LOCKED}, take them, read them. The engine's
 * transactions run at {@code READ COMMITTED}: at InnoDB's default {@code REPEATABLE READ} the claim's locking read
 * would also lock the gaps between index entries, and nodes inserting new calls would wait on each other's claims.
 * Claims of a limited function take turns on a named lock ({@code GET_LOCK}), released when the transaction ends.
 */
final class MysqlDialect extends Dialect {

    /** How long a claim waits for another node's claim of the same limited function. */
    private static final int LOCK_TIMEOUT_SECONDS = 30;

    /** Named locks are the server's, not the database's: the name carries the database's, hashed to fit 64 chars. */
    private static final String LOCK_NAME = "CONCAT('dispatch:', MD5(CONCAT(DATABASE(), ':', ?)))";

    @Override
    List<ClaimedInvocation> claim(
            NamedParameterJdbcTemplate named, String filter, String order, MapSqlParameterSource params) {
        List<String> ids = named.queryForList(
                "SELECT id FROM dispatch_invocation WHERE " + filter + " " + order + " FOR UPDATE SKIP LOCKED",
                params,
                String.class);
        if (ids.isEmpty()) {
            return List.of();
        }
        params.addValue("claimed", ids);
        named.update("UPDATE dispatch_invocation SET " + JdbcClaims.TAKE + " WHERE id IN (:claimed)", params);
        return named.query(
                "SELECT " + JdbcClaims.CLAIMED_COLUMNS
                        + " FROM dispatch_invocation i LEFT JOIN dispatch_call_group g ON g.id = i.group_id"
                        + " WHERE i.id IN (:claimed) " + ClaimOrder.ORDER_BY_I,
                params,
                JdbcClaims.CLAIMED);
    }

    /** {@code UTC_TIMESTAMP}: {@code CURRENT_TIMESTAMP} would be in the session's time zone, without saying which. */
    @Override
    Instant now(JdbcTemplate jdbc) {
        LocalDateTime now = jdbc.queryForObject("SELECT UTC_TIMESTAMP(6)", LocalDateTime.class);
        return (now != null) ? now.toInstant(ZoneOffset.UTC) : Instant.now();
    }

    @Override
    void lockSlots(JdbcTemplate jdbc, String function) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("Claims of a limited function must run in a transaction");
        }
        // the transaction's connection: a named lock belongs to the session that took it
        DataSource dataSource = java.util.Objects.requireNonNull(jdbc.getDataSource());
        Connection connection = DataSourceUtils.getConnection(dataSource);
        DataSourceUtils.releaseConnection(connection, dataSource); // still the transaction's until it ends
        Integer taken = jdbc.queryForObject(
                "SELECT GET_LOCK(" + LOCK_NAME + ", ?)", Integer.class, function, LOCK_TIMEOUT_SECONDS);
        if (taken == null || taken != 1) {
            throw new IllegalStateException(
                    "Another node held the claims of " + function + " for more than " + LOCK_TIMEOUT_SECONDS + " s");
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                try (PreparedStatement release =
                        connection.prepareStatement("SELECT RELEASE_LOCK(" + LOCK_NAME + ")")) {
                    release.setString(1, function);
                    release.execute();
                } catch (SQLException ex) {
                    // a session that ends drops its locks: a broken connection holds none
                }
            }
        });
    }

    @Override
    int isolationLevel() {
        return TransactionDefinition.ISOLATION_READ_COMMITTED;
    }

    /** {@code DELETE ... LIMIT}: neither a subquery of the table deleted from nor one with a limit is allowed here. */
    @Override
    int deleteAtMost(JdbcTemplate jdbc, String table, String where, int limit, Object... args) {
        return jdbc.update("DELETE FROM " + table + " WHERE " + where + " LIMIT " + limit, args);
    }

    @Override
    String minuteOf(String column) {
        return "CAST(DATE_FORMAT(" + column + ", '%Y-%m-%d %H:%i:00') AS DATETIME)";
    }
}
