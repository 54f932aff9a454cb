package dev.dispatch.store;

import static dev.dispatch.store.JdbcInvocationStore.time;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The running slots of a keyed function ({@code concurrencyKey}), counted per key value in the database. Calls are
 * counted and chosen under the function's lock ({@link FunctionSlots#lock}), the one its function-wide limit takes, so
 * claims of it on several nodes take turns and each counts what the others claimed. A call whose key is {@code null}
 * has no key: only the function's own limits hold it back.
 */
final class KeySlots {

    /**
     * Most due calls one claim looks at. Calls of keys at their limit are left out by the query itself, so calls of a
     * key with room are found behind a backlog of full keys; this bounds the look at a backlog of one key with room.
     */
    static final int SCAN = 500;

    private final NamedParameterJdbcTemplate named;

    private final Dialect dialect;

    KeySlots(NamedParameterJdbcTemplate named, Dialect dialect) {
        this.named = named;
        this.dialect = dialect;
    }

    /**
     * Of the function's due calls (or of {@code offered}, the ids a claim by id was given), in claim order, those that
     * may start now: at most {@code room}, and per key value at most {@code perKey} minus those running with it on any
     * node. Call it under the function's lock, in the transaction that claims.
     */
    List<String> choose(String function, @Nullable Collection<String> offered, int room, int perKey, Instant now) {
        Map<String, Integer> running = running(function);
        List<String> full = running.entrySet().stream()
                .filter(key -> key.getValue() >= perKey)
                .map(Map.Entry::getKey)
                .toList();
        MapSqlParameterSource params = new MapSqlParameterSource("function", function)
                .addValue("now", time(now))
                .addValue("scan", SCAN);
        StringBuilder sql = new StringBuilder("SELECT id, concurrency_key FROM dispatch_invocation"
                + " WHERE function_name = :function AND status = 'PENDING' AND next_attempt_at <= :now"
                + " AND (deadline_at IS NULL OR deadline_at > :now)");
        if (offered != null) {
            sql.append(" AND ").append(this.dialect.idIn("id", "ids"));
            params.addValue("ids", this.dialect.idList(offered));
        }
        if (!full.isEmpty()) {
            sql.append(" AND (concurrency_key IS NULL OR concurrency_key NOT IN (:full))");
            params.addValue("full", full);
        }
        sql.append(" ").append(ClaimOrder.ORDER_BY).append(" LIMIT :scan");
        List<String> chosen = new ArrayList<>();
        this.named.query(sql.toString(), params, rs -> {
            if (chosen.size() >= room) {
                return;
            }
            String key = rs.getString(2);
            if (key == null || running.merge(key, 1, Integer::sum) <= perKey) {
                chosen.add(rs.getString(1));
            }
        });
        return chosen;
    }

    /** How many calls of the function run now on any node, per key value. */
    private Map<String, Integer> running(String function) {
        Map<String, Integer> running = new HashMap<>();
        this.named.query(
                "SELECT concurrency_key, COUNT(*) FROM dispatch_invocation WHERE function_name = :function"
                        + " AND status = 'RUNNING' AND concurrency_key IS NOT NULL GROUP BY concurrency_key",
                new MapSqlParameterSource("function", function),
                rs -> {
                    running.put(rs.getString(1), rs.getInt(2));
                });
        return running;
    }
}
