package dev.dispatch.store;

import jakarta.persistence.EntityManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The store's reads of invocations, steps and outcomes, for {@link JdbcInvocationStore}: entities through JPA (detached,
 * so that a read never writes), outcomes and ids with plain SQL, id lists in statements of at most
 * {@value #IDS_PER_STATEMENT}.
 */
abstract class JdbcInvocationReads implements InvocationStore {

    static final String GROUPS = """
            SELECT id, parent_id, step_index, kind, size, completed_count, failed_count, first_failure_id, winner_id,
                signature, created_at, decided_at, version FROM dispatch_call_group""";

    static final String OUTCOMES = """
            SELECT i.id, i.group_id, i.group_position, i.function_name, i.status, i.result, i.error_type,
                i.error_message, i.error_status""";

    final JdbcTemplate jdbc;

    final NamedParameterJdbcTemplate named;

    final EntityManager entityManager;

    JdbcInvocationReads(JdbcTemplate jdbc, EntityManager entityManager) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.entityManager = entityManager;
    }

    @Override
    public Optional<CallGroup> findGroup(String groupId) {
        return this.jdbc.query(GROUPS + " WHERE id = ?", (rs, n) -> CallGroup.read(rs), groupId).stream()
                .findFirst();
    }

    @Override
    public Optional<Invocation> find(String id) {
        return Optional.ofNullable(detached(this.entityManager.find(Invocation.class, id)));
    }

    /**
     * Detaches what was read, so that a caller's open persistence context never answers a later read with a stale
     * copy: the engine's rows change underneath it through other transactions.
     */
    private <T> @Nullable T detached(@Nullable T entity) {
        if (entity != null && this.entityManager.contains(entity)) {
            this.entityManager.detach(entity);
        }
        return entity;
    }

    @Override
    public Optional<String> findStatus(String id) {
        return this.jdbc.queryForList("SELECT status FROM dispatch_invocation WHERE id = ?", String.class, id).stream()
                .findFirst();
    }

    @Override
    public Optional<String> findIdByIdempotencyKey(String key) {
        return this.jdbc
                .queryForList("SELECT id FROM dispatch_invocation WHERE idempotency_key = ?", String.class, key)
                .stream()
                .findFirst();
    }

    @Override
    public Optional<String> firstFinished(List<String> ids, boolean succeededOnly) {
        return this.named
                .queryForList(
                        "SELECT id FROM dispatch_invocation WHERE id IN (:ids) AND status IN (:statuses)"
                                + " ORDER BY completed_at, id",
                        new org.springframework.jdbc.core.namedparam.MapSqlParameterSource("ids", ids)
                                .addValue(
                                        "statuses",
                                        succeededOnly
                                                ? List.of("SUCCEEDED")
                                                : List.of("SUCCEEDED", "FAILED", "CANCELLED")),
                        String.class)
                .stream()
                .findFirst();
    }

    @Override
    public List<String> findChildIds(String groupId) {
        return this.jdbc.queryForList(
                "SELECT id FROM dispatch_invocation WHERE group_id = ? ORDER BY group_position", String.class, groupId);
    }

    @Override
    public List<CallGroup> findGroups(String parentId) {
        return this.jdbc.query(
                GROUPS + " WHERE parent_id = ? ORDER BY step_index", (rs, n) -> CallGroup.read(rs), parentId);
    }

    @Override
    public List<ChildOutcome> findChildOutcomes(String groupId) {
        return this.jdbc.query(
                OUTCOMES + " FROM dispatch_invocation i WHERE i.group_id = ? ORDER BY i.group_position",
                (rs, n) -> childOutcome(rs),
                groupId);
    }

    @Override
    public List<ChildOutcome> findDecidedChildOutcomes(String parentId) {
        return this.jdbc.query(OUTCOMES + """
                         FROM dispatch_invocation i JOIN dispatch_call_group g ON g.id = i.group_id
                        WHERE i.parent_id = ? AND g.parent_id = ? AND g.decided_at IS NOT NULL
                            AND g.kind NOT IN ('BATCH', 'DISPATCH')
                        ORDER BY i.group_id, i.group_position""", (rs, n) -> childOutcome(rs), parentId, parentId);
    }

    private static ChildOutcome childOutcome(ResultSet rs) throws SQLException {
        return new ChildOutcome(
                rs.getString(1),
                rs.getString(2),
                rs.getInt(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9));
    }

    /** Most ids bound in one statement: far below every database's limit of bind parameters. */
    static final int IDS_PER_STATEMENT = 1_000;

    @Override
    public List<ChildOutcome> findOutcomes(List<String> ids) {
        Map<String, ChildOutcome> byId = new java.util.HashMap<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_STATEMENT) {
            this.entityManager
                    .createQuery("""
                            SELECT new dev.dispatch.store.ChildOutcome(i.id, i.groupId, COALESCE(i.groupPosition, 0),
                                i.functionName, i.status, i.result, i.errorType, i.errorMessage, i.errorStatus)
                            FROM DispatchInvocation i WHERE i.id IN :ids""", ChildOutcome.class)
                    .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + IDS_PER_STATEMENT)))
                    .getResultList()
                    .forEach(outcome -> byId.put(outcome.id(), outcome));
        }
        return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }

    @Override
    public Map<String, Integer> countStatuses(List<String> ids) {
        Map<String, Integer> counts = new java.util.HashMap<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_STATEMENT) {
            this.named.query(
                    "SELECT status, COUNT(*) FROM dispatch_invocation WHERE id IN (:ids) GROUP BY status",
                    new MapSqlParameterSource("ids", ids.subList(from, Math.min(ids.size(), from + IDS_PER_STATEMENT))),
                    (org.springframework.jdbc.core.RowCallbackHandler)
                            rs -> counts.merge(rs.getString(1), rs.getInt(2), Integer::sum));
        }
        return counts;
    }

    @Override
    public List<String[]> findCalls(String groupId) {
        return this.jdbc.query(
                "SELECT function_name, arguments FROM dispatch_invocation WHERE group_id = ? ORDER BY group_position",
                (rs, n) -> new String[] {rs.getString(1), rs.getString(2)},
                groupId);
    }
}
