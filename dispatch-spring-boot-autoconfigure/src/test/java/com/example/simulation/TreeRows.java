package com.example.simulation;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** What the database says about one scenario's calls, read with plain JDBC (no faults). */
final class TreeRows {

    /** One invocation row; {@code node} is its plan node (from its key argument). */
    record Row(
            String id,
            int node,
            String function,
            String status,
            int attempts,
            int maxAttempts,
            String leaseOwner,
            Instant leaseExpiresAt,
            String parentId,
            String result,
            String errorType,
            String errorMessage,
            Instant createdAt,
            String idempotencyKey) {

        boolean terminal() {
            return this.status.equals("SUCCEEDED") || this.status.equals("FAILED") || this.status.equals("CANCELLED");
        }

        /** The recorded result as the string it encodes (results are JSON strings here). */
        String value() {
            if (this.result == null || this.result.equals("null")) {
                return "null";
            }
            return this.result.startsWith("\"") ? this.result.substring(1, this.result.length() - 1) : this.result;
        }
    }

    private TreeRows() {}

    /** Every call of the scenario: its key argument begins with the plan's seed. */
    static List<Row> read(DataSource dataSource, Plan plan) {
        return read(dataSource, plan, Instant.EPOCH);
    }

    /**
     * Every call of the scenario recorded since {@code since} (the database's time, a while before its root was
     * dispatched): the bound lets the index on {@code created_at} narrow what is read, where a long run's database
     * holds thousands of finished scenarios.
     */
    static List<Row> read(DataSource dataSource, Plan plan, Instant since) {
        return readAll(dataSource, since, "[\"" + Long.toHexString(plan.seed()) + "-")
                .getOrDefault(plan.seed(), List.of());
    }

    /** Every call recorded since {@code since}, by scenario seed: a multi-JVM round's scenarios in one read. */
    static Map<Long, List<Row>> readAll(DataSource dataSource, Instant since) {
        return readAll(dataSource, since, "[\"");
    }

    private static Map<Long, List<Row>> readAll(DataSource dataSource, Instant since, String prefix) {
        Map<Long, List<Row>> rows = new HashMap<>();
        for (Map<String, Object> r : new JdbcTemplate(dataSource)
                .queryForList(
                        "SELECT id, function_name, arguments, status, attempts, max_attempts, lease_owner,"
                                + " lease_expires_at, parent_id, result, error_type, error_message, created_at,"
                                + " idempotency_key FROM dispatch_invocation WHERE created_at >= ? AND arguments LIKE ?",
                        since.atOffset(ZoneOffset.UTC),
                        prefix + "%")) {
            // the key argument: ["<seed>-<node>", ...
            String arguments = (String) r.get("arguments");
            String key = arguments.substring(2, arguments.indexOf('"', 2));
            rows.computeIfAbsent(Plan.seedOf(key), seed -> new ArrayList<>())
                    .add(new Row(
                            (String) r.get("id"),
                            Plan.nodeOf(key),
                            (String) r.get("function_name"),
                            (String) r.get("status"),
                            ((Number) r.get("attempts")).intValue(),
                            ((Number) r.get("max_attempts")).intValue(),
                            (String) r.get("lease_owner"),
                            instant(r.get("lease_expires_at")),
                            (String) r.get("parent_id"),
                            (String) r.get("result"),
                            (String) r.get("error_type"),
                            (String) r.get("error_message"),
                            instant(r.get("created_at")),
                            (String) r.get("idempotency_key")));
        }
        return rows;
    }

    /** The database's clock, which leases are measured by. */
    static Instant now(DataSource dataSource) {
        return instant(new JdbcTemplate(dataSource).queryForObject("SELECT CURRENT_TIMESTAMP", Object.class));
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof java.time.Instant instant) {
            return instant;
        }
        throw new IllegalStateException("Unexpected time " + value.getClass());
    }
}
