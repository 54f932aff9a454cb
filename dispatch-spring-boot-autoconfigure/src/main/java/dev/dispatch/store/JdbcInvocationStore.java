package dev.dispatch.store;

import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads and writes invocations and call groups. Writes are batched JDBC statements (one round trip for a whole
 * gather); reads ({@link JdbcInvocationReads}) go through JPA or plain SQL. Every method joins the caller's
 * transaction: the engine decides the boundaries. Each state change checks the state it expects in its {@code WHERE}
 * clause, so two nodes can never both win it.
 */
final class JdbcInvocationStore extends JdbcInvocationReads {

    private static final String INSERT_INVOCATION = """
            INSERT INTO dispatch_invocation (id, function_name, arguments, status, attempts, max_attempts,
                next_attempt_at, lease_owner, lease_expires_at, parent_id, root_id, step_index, group_id,
                group_position, idempotency_key, trace_context, created_at, updated_at, deadline_at, priority, call_turn,
                concurrency_key, version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)""";

    private final DatabaseType database;

    private final Dialect dialect;

    private final TreeChanges trees;

    JdbcInvocationStore(JdbcTemplate jdbc, EntityManager entityManager, DatabaseType database) {
        super(jdbc, entityManager);
        this.database = database;
        this.dialect = database.dialect();
        this.trees = new JdbcTreeChanges(jdbc, this);
    }

    @Override
    public DatabaseType database() {
        return this.database;
    }

    @Override
    public TreeChanges trees() {
        return this.trees;
    }

    @Override
    public DataSource dataSource() {
        DataSource dataSource = this.jdbc.getDataSource();
        if (dataSource == null) {
            throw new IllegalStateException("The JdbcTemplate of the dispatch store has no DataSource");
        }
        return dataSource;
    }

    /** Tells the other nodes that work became due, when the current transaction commits, where they listen. */
    private void announce() {
        this.dialect.announce(this.jdbc);
    }

    // ---------------------------------------------------------------- recording

    @Override
    public void insertInvocations(List<NewInvocation> rows, Instant now) {
        this.jdbc.batchUpdate(INSERT_INVOCATION, rows, 1000, (ps, row) -> bind(ps, row, now));
        if (rows.stream().anyMatch(row -> !row.inline())) {
            announce();
        }
    }

    private static void bind(PreparedStatement ps, NewInvocation row, Instant now) throws SQLException {
        ps.setString(1, row.id());
        ps.setString(2, row.function());
        ps.setString(3, row.arguments());
        ps.setString(4, row.inline() ? "RUNNING" : "PENDING");
        ps.setInt(5, row.inline() ? 1 : 0);
        ps.setInt(6, row.maxAttempts());
        setTime(ps, 7, row.nextAttemptAt());
        ps.setString(8, row.leaseOwner());
        setTime(ps, 9, row.leaseExpiresAt());
        ps.setString(10, row.parentId());
        ps.setString(11, row.rootId());
        setInteger(ps, 12, row.stepIndex());
        ps.setString(13, row.groupId());
        setInteger(ps, 14, row.groupPosition());
        ps.setString(15, row.idempotencyKey());
        ps.setString(16, row.traceContext());
        setTime(ps, 17, now);
        setTime(ps, 18, now);
        setTime(ps, 19, row.deadlineAt());
        ps.setInt(20, row.priority());
        ps.setInt(21, row.turn());
        ps.setString(22, row.concurrencyKey());
    }

    @Override
    public String insertIdempotent(NewInvocation row, Instant now) {
        String key = row.idempotencyKey();
        if (key == null) {
            insertInvocations(List.of(row), now);
            return row.id();
        }
        // the unique key decides, waiting for a concurrent insert of the same key to commit or roll back
        if (this.dialect.insertIfAbsent(this.jdbc, INSERT_INVOCATION, ps -> bind(ps, row, now)) && !row.inline()) {
            announce();
        }
        return findIdByIdempotencyKey(key).orElse(row.id());
    }

    @Override
    public boolean recordSleep(String groupId, String parentId, long epoch, int step, Instant wakeAt, Instant now) {
        if (!holds(parentId, epoch)) {
            return false;
        }
        this.jdbc.update("""
                INSERT INTO dispatch_call_group (id, parent_id, step_index, kind, size, completed_count, failed_count,
                    signature, created_at, decided_at, version)
                VALUES (?, ?, ?, 'SLEEP', 0, 0, 0, 'sleep', ?, ?, 0)""", groupId, parentId, step, time(now), time(wakeAt));
        return true;
    }

    @Override
    public boolean recordStep(String parentId, long epoch, NewGroup group, List<NewInvocation> rows, Instant now) {
        if (!holds(parentId, epoch)) {
            return false;
        }
        insertGroup(group, now);
        if (rows.size() == 1 && rows.get(0).idempotencyKey() != null) {
            // the step keeps the id its key resolved to, for replays after retention purged the keyed call
            String keyed = insertIdempotent(rows.get(0), now);
            this.jdbc.update("UPDATE dispatch_call_group SET winner_id = ? WHERE id = ?", keyed, group.id());
        } else {
            insertInvocations(rows, now);
        }
        return true;
    }

    /** Locks a running invocation's row if it is still held under {@code epoch}: the fence of every step it records. */
    private boolean holds(String id, long epoch) {
        return !this.jdbc
                .queryForList(
                        "SELECT id FROM dispatch_invocation WHERE id = ? AND version = ? AND status = 'RUNNING'"
                                + " FOR UPDATE",
                        String.class,
                        id,
                        epoch)
                .isEmpty();
    }

    @Override
    public boolean sleepUntil(String id, long epoch, String groupId, Instant wakeAt, Instant now) {
        return this.jdbc.update("""
                        UPDATE dispatch_invocation SET status = 'PENDING', next_attempt_at = ?, awaiting_group_id = ?,
                            lease_owner = NULL, lease_expires_at = NULL, updated_at = ?, version = version + 1
                        WHERE id = ? AND version = ? AND status = 'RUNNING'""", time(wakeAt), groupId, time(now), id, epoch) == 1;
    }

    @Override
    public void insertGroup(NewGroup group, Instant now) {
        this.jdbc.update(
                """
                INSERT INTO dispatch_call_group (id, parent_id, step_index, kind, size, completed_count, failed_count,
                    signature, created_at, decided_at, version)
                VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?, ?, 0)""",
                group.id(),
                group.parentId(),
                group.stepIndex(),
                group.kind().name(),
                group.size(),
                group.signature(),
                time(now),
                group.kind().isAwaited() ? null : time(now));
    }

    @Override
    public boolean insertAwait(NewGroup group, String targetId, Instant now) {
        insertGroup(group, now);
        this.jdbc.update("UPDATE dispatch_call_group SET winner_id = ? WHERE id = ?", targetId, group.id());
        return this.jdbc.update(
                        "UPDATE dispatch_call_group SET decided_at = ?, version = version + 1 WHERE id = ? AND EXISTS"
                                + " (SELECT 1 FROM dispatch_invocation t WHERE t.id = ?"
                                + " AND t.status IN ('SUCCEEDED', 'FAILED', 'CANCELLED'))",
                        time(now),
                        group.id(),
                        targetId)
                == 1;
    }

    @Override
    public int decideAwaits(Instant now, int limit) {
        List<String> groups = this.jdbc.query(
                "SELECT g.id FROM dispatch_invocation i JOIN dispatch_call_group g ON g.id = i.awaiting_group_id"
                        + " JOIN dispatch_invocation t ON t.id = g.winner_id"
                        + " WHERE i.status = 'SUSPENDED' AND g.kind = 'AWAIT' AND g.decided_at IS NULL"
                        + " AND t.status IN ('SUCCEEDED', 'FAILED', 'CANCELLED') LIMIT ?",
                (rs, n) -> rs.getString(1),
                limit);
        int decided = 0;
        for (String group : groups) {
            decided += this.jdbc.update(
                    "UPDATE dispatch_call_group SET decided_at = ?, version = version + 1"
                            + " WHERE id = ? AND decided_at IS NULL",
                    time(now),
                    group);
        }
        return decided;
    }

    // ---------------------------------------------------------------- outcomes

    private static final String SUCCEED = """
            UPDATE dispatch_invocation SET status = 'SUCCEEDED', result = ?, lease_owner = NULL,
                lease_expires_at = NULL, awaiting_group_id = NULL, updated_at = ?, completed_at = ?,
                version = version + 1
            WHERE id = ? AND version = ? AND status = 'RUNNING' AND lease_owner = ?""";

    private static final String FAIL = """
            UPDATE dispatch_invocation SET status = 'FAILED', error_type = ?, error_message = ?,
                error_status = ?, error_stack = ?, lease_owner = NULL, lease_expires_at = NULL,
                awaiting_group_id = NULL, updated_at = ?, completed_at = ?, version = version + 1
            WHERE id = ? AND version = ? AND status = 'RUNNING' AND lease_owner = ?""";

    private static final String RETRY = """
            UPDATE dispatch_invocation SET status = 'PENDING', error_type = ?, error_message = ?,
                error_status = ?, error_stack = ?, lease_owner = NULL, lease_expires_at = NULL,
                awaiting_group_id = NULL, next_attempt_at = ?, updated_at = ?, version = version + 1
            WHERE id = ? AND version = ? AND status = 'RUNNING' AND lease_owner = ?""";

    @Override
    public Outcome record(Transition transition, Instant now) {
        return recordAll(List.of(transition), now).get(0);
    }

    @Override
    public boolean insertCall(NewGroup group, NewInvocation row, long callerEpoch, Instant now) {
        if (!holds(group.parentId(), callerEpoch)) {
            return false;
        }
        insertGroup(group, now);
        insertInvocations(List.of(row), now);
        return true;
    }

    @Override
    public Outcome recordWithCall(
            NewGroup group, NewInvocation row, long callerEpoch, Transition transition, Instant now) {
        if (!insertCall(group, row, callerEpoch, now)) {
            return Outcome.LEASE_LOST;
        }
        return recordAll(List.of(transition), now).get(0);
    }

    @Override
    public List<Outcome> recordAll(List<Transition> transitions, Instant now) {
        int n = transitions.size();
        boolean[] written = new boolean[n];
        for (Transition.Kind kind : Transition.Kind.values()) {
            List<Integer> indexes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (transitions.get(i).kind() == kind) {
                    indexes.add(i);
                }
            }
            if (indexes.isEmpty()) {
                continue;
            }
            String sql = switch (kind) {
                case SUCCEEDED -> SUCCEED;
                case FAILED -> FAIL;
                case RETRY -> RETRY;
            };
            int[][] counts =
                    this.jdbc.batchUpdate(sql, indexes, 1000, (ps, index) -> bindEnd(ps, transitions.get(index), now));
            int position = 0;
            for (int[] batch : counts) {
                for (int count : batch) {
                    written[indexes.get(position++)] = count != 0;
                }
            }
        }
        Map<String, List<Integer>> byStep = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            Transition transition = transitions.get(i);
            if (written[i] && transition.terminal() && awaitedByParent(transition.invocation())) {
                byStep.computeIfAbsent(transition.invocation().groupId(), id -> new ArrayList<>())
                        .add(i);
            }
        }
        Outcome[] outcomes = new Outcome[n];
        for (int i = 0; i < n; i++) {
            outcomes[i] = written[i] ? Outcome.RECORDED : Outcome.LEASE_LOST;
        }
        byStep.forEach((groupId, indexes) -> {
            List<Finished> finished = new ArrayList<>(indexes.size());
            for (int index : indexes) {
                Transition transition = transitions.get(index);
                finished.add(
                        new Finished(transition.invocation().id(), transition.kind() == Transition.Kind.SUCCEEDED));
            }
            Woken woken = countInGroup(groupId, finished, now);
            if (woken != null) {
                outcomes[indexes.get(woken.decidedBy())] = new Outcome(true, woken.parentId());
            }
        });
        return List.of(outcomes);
    }

    private static void bindEnd(PreparedStatement ps, Transition transition, Instant now) throws SQLException {
        ClaimedInvocation invocation = transition.invocation();
        int i = 1;
        if (transition.kind() == Transition.Kind.SUCCEEDED) {
            ps.setString(i++, transition.result());
        } else {
            ErrorRecord error = transition.error();
            ps.setString(i++, error.type());
            ps.setString(i++, error.message());
            ps.setString(i++, error.status());
            ps.setString(i++, error.stack());
        }
        if (transition.kind() == Transition.Kind.RETRY) {
            setTime(ps, i++, transition.nextAttemptAt());
            setTime(ps, i++, now);
        } else {
            setTime(ps, i++, now);
            setTime(ps, i++, now);
        }
        ps.setString(i++, invocation.id());
        ps.setLong(i++, invocation.epoch());
        ps.setString(i, transition.owner());
    }

    /**
     * Whether the call's step awaits it. The claim reads the step's kind with the call; on H2 a claim that runs while
     * the step commits can take the new call yet read no step (its join reads the statement's snapshot, its update the
     * latest rows), and the call, left uncounted, would never wake its parent: then the step itself says.
     */
    private boolean awaitedByParent(ClaimedInvocation invocation) {
        if (invocation.groupKind() != null || invocation.groupId() == null) {
            return invocation.awaitedByParent();
        }
        List<String> kinds = this.jdbc.queryForList(
                "SELECT kind FROM dispatch_call_group WHERE id = ?", String.class, invocation.groupId());
        return !kinds.isEmpty() && GroupKind.valueOf(kinds.get(0)).isAwaited();
    }

    /**
     * Counts finished children in their step, in the order given. Locks the step's row first: a parent that suspends
     * on the same step locks it too, so either the parent sees the step decided, or the child that decides it sees
     * the parent suspended and wakes it.
     *
     * @return the parent woken and which of the children decided the step, if one did and the parent was suspended
     */
    @Nullable
    Woken countInGroup(String groupId, List<Finished> children, Instant now) {
        List<Map<String, Object>> rows = this.jdbc.queryForList(
                "SELECT parent_id, kind, size, completed_count, failed_count, decided_at FROM dispatch_call_group"
                        + " WHERE id = ? FOR UPDATE",
                groupId);
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> row = rows.get(0);
        GroupKind kind = GroupKind.valueOf((String) row.get("kind"));
        int size = ((Number) row.get("size")).intValue();
        int completed = ((Number) row.get("completed_count")).intValue();
        int failed = ((Number) row.get("failed_count")).intValue();
        boolean decided = row.get("decided_at") != null;
        String firstFailure = null;
        String winner = null;
        int decidedBy = -1;
        for (int i = 0; i < children.size(); i++) {
            Finished child = children.get(i);
            if (child.succeeded()) {
                completed++;
            } else {
                failed++;
                firstFailure = (firstFailure != null) ? firstFailure : child.id();
            }
            if (!decided && kind.isDecided(size, completed, failed)) {
                decided = true;
                decidedBy = i;
                // The winner of any/race is the child that decided the step.
                if ((kind == GroupKind.ANY && child.succeeded()) || kind == GroupKind.RACE) {
                    winner = child.id();
                }
            }
        }
        this.jdbc.update("""
                UPDATE dispatch_call_group SET completed_count = ?, failed_count = ?,
                    first_failure_id = COALESCE(first_failure_id, ?), winner_id = COALESCE(winner_id, ?),
                    decided_at = COALESCE(decided_at, ?), version = version + 1
                WHERE id = ?""", completed, failed, firstFailure, winner, decidedBy >= 0 ? time(now) : null, groupId);
        if (decidedBy < 0) {
            return null;
        }
        String parentId = (String) row.get("parent_id");
        return wake(parentId, groupId, now) ? new Woken(parentId, decidedBy) : null;
    }

    /** A child finished for good, to be counted in its step. */
    record Finished(String id, boolean succeeded) {}

    /** A parent woken by the child at this index of those counted. */
    record Woken(String parentId, int decidedBy) {}

    @Override
    public boolean wake(String parentId, String groupId, Instant now) {
        boolean woken = this.jdbc.update("""
                        UPDATE dispatch_invocation SET status = 'PENDING', next_attempt_at = ?, updated_at = ?,
                            version = version + 1
                        WHERE id = ? AND status = 'SUSPENDED' AND awaiting_group_id = ?""", time(now), time(now), parentId, groupId) == 1;
        if (woken) {
            announce();
        }
        return woken;
    }

    @Override
    public SuspendOutcome suspend(String id, long epoch, String groupId, Instant now) {
        List<Object> decided = this.jdbc.queryForList(
                "SELECT decided_at FROM dispatch_call_group WHERE id = ? FOR UPDATE", Object.class, groupId);
        if (!decided.isEmpty() && decided.get(0) != null) {
            return SuspendOutcome.DECIDED;
        }
        int updated = this.jdbc.update("""
                UPDATE dispatch_invocation SET status = 'SUSPENDED', awaiting_group_id = ?, lease_owner = NULL,
                    lease_expires_at = NULL, updated_at = ?, version = version + 1
                WHERE id = ? AND version = ? AND status = 'RUNNING'""", groupId, time(now), id, epoch);
        return updated == 1 ? SuspendOutcome.SUSPENDED : SuspendOutcome.LEASE_LOST;
    }

    @Override
    public List<String[]> findWakeable(int limit) {
        return this.jdbc.query("""
                SELECT i.id, i.awaiting_group_id FROM dispatch_invocation i
                JOIN dispatch_call_group g ON g.id = i.awaiting_group_id
                WHERE i.status = 'SUSPENDED' AND g.decided_at IS NOT NULL LIMIT ?""", (rs, n) -> new String[] {rs.getString(1), rs.getString(2)}, limit);
    }

    // ---------------------------------------------------------------- JDBC helpers

    static @Nullable Object time(@Nullable Instant instant) {
        return StoreTimes.bind(instant);
    }

    static void setTime(PreparedStatement ps, int index, @Nullable Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            StoreTimes.set(ps, index, instant);
        }
    }

    private static void setInteger(PreparedStatement ps, int index, @Nullable Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    static @Nullable Instant readNullableTime(ResultSet rs, int index) throws SQLException {
        return StoreTimes.read(rs, index);
    }

    static Instant instant(Object value) {
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.ZonedDateTime zoned) {
            return zoned.toInstant();
        }
        return Instant.parse(value.toString());
    }

    static Instant readTime(ResultSet rs, int index) throws SQLException {
        Instant time = StoreTimes.read(rs, index);
        return time != null ? time : Instant.EPOCH;
    }
}
