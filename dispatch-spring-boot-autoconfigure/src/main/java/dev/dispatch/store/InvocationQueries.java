package dev.dispatch.store;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Read-only questions operators ask of the store: counts, lists, one invocation's children by step. Aggregates run in
 * the database; nothing here loads a whole table or a whole large step.
 */
public class InvocationQueries {

    private static final String BY_KEY = """
            SELECT function_name, concurrency_key,
                SUM(CASE WHEN status = 'RUNNING' THEN 1 ELSE 0 END) AS running,
                SUM(CASE WHEN status = 'PENDING' THEN 1 ELSE 0 END) AS waiting
            FROM dispatch_invocation
            WHERE function_name IN (:functions) AND status IN ('RUNNING', 'PENDING') AND concurrency_key IS NOT NULL
            GROUP BY function_name, concurrency_key
            ORDER BY function_name, COUNT(*) DESC, concurrency_key""";

    private final JdbcTemplate jdbc;

    private final NamedParameterJdbcTemplate named;

    private final EntityManager entityManager;

    public InvocationQueries(JdbcTemplate jdbc, EntityManager entityManager) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.entityManager = entityManager;
    }

    /** Invocations by status. */
    /** The token buckets of rate-limited functions, by function, as last written (before refilling). */
    public Map<String, Bucket> rateBuckets() {
        Map<String, Bucket> buckets = new java.util.TreeMap<>();
        this.jdbc.query("SELECT function_name, tokens, updated_at FROM dispatch_rate_limit", rs -> {
            buckets.put(rs.getString(1), new Bucket(rs.getDouble(2), JdbcInvocationStore.readTime(rs, 3)));
        });
        return buckets;
    }

    /**
     * A function's token bucket as last written.
     *
     * @param tokens the tokens it held then
     * @param updatedAt when
     */
    public record Bucket(double tokens, java.time.Instant updatedAt) {}

    /**
     * Calls running and waiting (pending) per value of their concurrency key, for each of the given functions: at most
     * {@code maxKeys} values per function, the busiest first. Calls without a key are left out.
     */
    public Map<String, Map<String, KeyCount>> countByKey(Collection<String> functions, int maxKeys) {
        Map<String, Map<String, KeyCount>> counts = new java.util.TreeMap<>();
        if (functions.isEmpty()) {
            return counts;
        }
        this.named.query(BY_KEY, new MapSqlParameterSource("functions", functions), rs -> {
            Map<String, KeyCount> keys = counts.computeIfAbsent(rs.getString(1), f -> new LinkedHashMap<>());
            if (keys.size() < maxKeys) {
                keys.put(rs.getString(2), new KeyCount(rs.getLong(3), rs.getLong(4)));
            }
        });
        return counts;
    }

    /**
     * The calls of one concurrency key value.
     *
     * @param running running now, across all nodes
     * @param waiting pending, due or not
     */
    public record KeyCount(long running, long waiting) {}

    public Map<String, Long> countByStatus() {
        Map<String, Long> counts = new LinkedHashMap<>();
        this.jdbc.query("SELECT status, COUNT(*) FROM dispatch_invocation GROUP BY status ORDER BY status", rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        });
        return counts;
    }

    /** Unfinished invocations by status: PENDING, RUNNING and SUSPENDED only, read through the index of due work. */
    public Map<String, Long> countBacklog() {
        Map<String, Long> counts = new LinkedHashMap<>();
        this.jdbc.query(
                "SELECT status, COUNT(*) FROM dispatch_invocation WHERE status IN ('PENDING', 'RUNNING', 'SUSPENDED')"
                        + " GROUP BY status",
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                });
        return counts;
    }

    /** Invocations by function, then status. */
    public Map<String, Map<String, Long>> countByFunction() {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        this.jdbc.query(
                "SELECT function_name, status, COUNT(*) FROM dispatch_invocation GROUP BY function_name, status"
                        + " ORDER BY function_name, status",
                rs -> {
                    counts.computeIfAbsent(rs.getString(1), f -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getLong(3));
                });
        return counts;
    }

    /** When the longest-waiting due invocation became due, if any is waiting. */
    @SuppressWarnings("NullAway") // MIN(...) of no rows is one NULL: the row mapper may return null, filtered below
    public Optional<Instant> oldestDue(Instant now) {
        List<Instant> oldest = this.jdbc.query(
                "SELECT MIN(next_attempt_at) FROM dispatch_invocation WHERE status = 'PENDING' AND next_attempt_at <= ?",
                (rs, n) -> StoreTimes.read(rs, 1),
                JdbcInvocationStore.time(now));
        return oldest.stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /** Unfinished invocations of functions that none of the given functions are: no node here can run them. */
    public long countUnrunnable(Collection<String> functions) {
        if (functions.isEmpty()) {
            Long all = this.jdbc.queryForObject(
                    "SELECT COUNT(*) FROM dispatch_invocation WHERE status = 'PENDING'", Long.class);
            return all != null ? all : 0;
        }
        Long count = this.named.queryForObject(
                "SELECT COUNT(*) FROM dispatch_invocation WHERE status = 'PENDING'"
                        + " AND function_name NOT IN (:functions)",
                new MapSqlParameterSource("functions", functions),
                Long.class);
        return count != null ? count : 0;
    }

    /**
     * Invocations newest first, filtered by whichever of status, function and root is given.
     *
     * @param limit at most this many
     */
    public List<Invocation> list(
            @Nullable String status, @Nullable String function, @Nullable String rootId, int limit) {
        StringBuilder jpql = new StringBuilder("SELECT i FROM DispatchInvocation i WHERE 1 = 1");
        if (status != null) {
            jpql.append(" AND i.status = :status");
        }
        if (function != null) {
            jpql.append(" AND i.functionName = :function");
        }
        if (rootId != null) {
            jpql.append(" AND i.rootId = :rootId");
        }
        jpql.append(" ORDER BY i.createdAt DESC, i.id");
        TypedQuery<Invocation> query = this.entityManager.createQuery(jpql.toString(), Invocation.class);
        if (status != null) {
            query.setParameter("status", status);
        }
        if (function != null) {
            query.setParameter("function", function);
        }
        if (rootId != null) {
            query.setParameter("rootId", rootId);
        }
        List<Invocation> found = query.setMaxResults(limit).getResultList();
        found.forEach(this::detach);
        return found;
    }

    /** The most recent failures. */
    public List<Invocation> recentFailures(int limit) {
        List<Invocation> found = this.entityManager
                .createQuery(
                        "SELECT i FROM DispatchInvocation i WHERE i.status = 'FAILED' ORDER BY i.completedAt DESC",
                        Invocation.class)
                .setMaxResults(limit)
                .getResultList();
        found.forEach(this::detach);
        return found;
    }

    /** How many children of each step of a parent are in each status: a step's progress. */
    public Map<String, Map<String, Long>> stepProgress(String parentId) {
        Map<String, Map<String, Long>> progress = new LinkedHashMap<>();
        this.jdbc.query(
                "SELECT group_id, status, COUNT(*) FROM dispatch_invocation WHERE parent_id = ?"
                        + " GROUP BY group_id, status",
                rs -> {
                    progress.computeIfAbsent(rs.getString(1), g -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getLong(3));
                },
                parentId);
        return progress;
    }

    /** One page of a parent's steps that made calls, in step order, from step index {@code fromStep}. */
    public List<CallGroup> groups(String parentId, int fromStep, int limit) {
        List<CallGroup> found = this.entityManager
                .createQuery(
                        "SELECT g FROM DispatchCallGroup g WHERE g.parentId = :parentId AND g.stepIndex >= :fromStep"
                                + " ORDER BY g.stepIndex",
                        CallGroup.class)
                .setParameter("parentId", parentId)
                .setParameter("fromStep", fromStep)
                .setMaxResults(limit)
                .getResultList();
        found.forEach(this::detach);
        return found;
    }

    /** How many children of each of these steps are in each status. */
    public Map<String, Map<String, Long>> stepProgress(String parentId, Collection<String> groupIds) {
        Map<String, Map<String, Long>> progress = new LinkedHashMap<>();
        if (groupIds.isEmpty()) {
            return progress;
        }
        this.named.query(
                "SELECT group_id, status, COUNT(*) FROM dispatch_invocation WHERE parent_id = :parentId"
                        + " AND group_id IN (:groups) GROUP BY group_id, status",
                new MapSqlParameterSource("parentId", parentId).addValue("groups", groupIds),
                rs -> {
                    progress.computeIfAbsent(rs.getString(1), g -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getLong(3));
                });
        return progress;
    }

    /** One page of a step's children, in position order. */
    public List<Invocation> children(String groupId, int offset, int limit) {
        List<Invocation> found = this.entityManager
                .createQuery(
                        "SELECT i FROM DispatchInvocation i WHERE i.groupId = :groupId ORDER BY i.groupPosition",
                        Invocation.class)
                .setParameter("groupId", groupId)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultList();
        found.forEach(this::detach);
        return found;
    }

    private void detach(Object entity) {
        if (this.entityManager.contains(entity)) {
            this.entityManager.detach(entity);
        }
    }
}
