package dev.dispatch.store;

import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
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

    /** The columns {@link #bind} sets, in its order. */
    static final String INVOCATION_COLUMNS = """
            id, function_name, arguments, status, attempts, max_attempts, next_attempt_at, lease_owner,
                lease_expires_at, parent_id, root_id, step_index, group_id, group_position, idempotency_key,
                trace_context, created_at, updated_at, deadline_at, priority, call_turn, concurrency_key""";

    private static final String INSERT_INVOCATION = "INSERT INTO dispatch_invocation (" + INVOCATION_COLUMNS
            + ", version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)";

    private final DatabaseType database;

    private final Dialect dialect;

    private final TreeChanges trees;

    private final JdbcEnds ends;

    JdbcInvocationStore(JdbcTemplate jdbc, EntityManager entityManager, DatabaseType database) {
        super(jdbc, entityManager);
        this.database = database;
        this.dialect = database.dialect();
        this.ends = new JdbcEnds(jdbc, this.dialect);
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

    /** Binds the {@link #INVOCATION_COLUMNS} of a new row, as parameters 1 to 22. */
    static void bind(PreparedStatement ps, NewInvocation row, Instant now) throws SQLException {
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

    @Override
    public Outcome record(Transition transition, Instant now) {
        return recordAll(List.of(transition), now).get(0);
    }

    @Override
    public List<Outcome> recordAll(List<Transition> transitions, Instant now) {
        return this.ends.recordAll(transitions, now);
    }

    @Override
    public boolean wake(String parentId, String groupId, Instant now) {
        return this.ends.wake(parentId, groupId, now);
    }

    /** See {@link JdbcEnds#countInGroup}. */
    JdbcEnds.@Nullable Woken countInGroup(String groupId, List<JdbcEnds.Finished> children, Instant now) {
        return this.ends.countInGroup(groupId, children, now);
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
        if (!holds(group.parentId(), callerEpoch)) {
            return Outcome.LEASE_LOST;
        }
        if (JdbcEnds.endsInline(group, row, transition)) {
            // the usual end: the call's rows written as they end, counted and decided (the caller runs, no wake-up)
            this.ends.insertEnded(group, row, transition, now);
            return Outcome.RECORDED;
        }
        insertGroup(group, now);
        insertInvocations(List.of(row), now);
        return recordAll(List.of(transition), now).get(0);
    }

    @Override
    public boolean recordStepAndSuspend(
            String parentId, long epoch, NewGroup group, List<NewInvocation> rows, Instant now) {
        if (rows.stream().anyMatch(row -> row.idempotencyKey() != null)) {
            throw new IllegalArgumentException("A keyed call may resolve to one that ended: record it by recordStep");
        }
        return recordStep(parentId, epoch, group, rows, now) && markSuspended(parentId, epoch, group.id(), now);
    }

    @Override
    public SuspendOutcome suspend(String id, long epoch, String groupId, Instant now) {
        List<Object> decided = this.jdbc.queryForList(
                "SELECT decided_at FROM dispatch_call_group WHERE id = ? FOR UPDATE", Object.class, groupId);
        if (!decided.isEmpty() && decided.get(0) != null) {
            return SuspendOutcome.DECIDED;
        }
        return markSuspended(id, epoch, groupId, now) ? SuspendOutcome.SUSPENDED : SuspendOutcome.LEASE_LOST;
    }

    private boolean markSuspended(String id, long epoch, String groupId, Instant now) {
        return this.jdbc.update("""
                        UPDATE dispatch_invocation SET status = 'SUSPENDED', awaiting_group_id = ?, lease_owner = NULL,
                            lease_expires_at = NULL, updated_at = ?, version = version + 1
                        WHERE id = ? AND version = ? AND status = 'RUNNING'""", groupId, time(now), id, epoch) == 1;
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
