package dev.dispatch.store;

import static dev.dispatch.store.JdbcInvocationStore.time;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Signals and the waits for them ({@code dispatch_signal}, {@code dispatch_signal_wait}, schema version 5). A wait is
 * the {@code SIGNAL} step of a function in {@code awaitSignal}; delivering a signal ends the oldest open wait for its key
 * and decides that step in one transaction, so each signal goes to exactly one wait. Every method joins the caller's
 * transaction.
 */
final class JdbcSignalStore implements SignalStore {

    private static final String OPEN_WAIT = """
            SELECT w.group_id, w.parent_id FROM dispatch_signal_wait w
            WHERE w.signal_key = ? AND w.ended_at IS NULL AND EXISTS (SELECT 1 FROM dispatch_invocation i
                WHERE i.id = w.parent_id AND i.status IN ('PENDING', 'RUNNING', 'SUSPENDED'))
            ORDER BY w.created_at, w.group_id LIMIT 1 FOR UPDATE""";

    private static final String WAITING_SIGNAL = """
            SELECT id FROM dispatch_signal WHERE signal_key = ? AND taken_by IS NULL
            ORDER BY created_at, id LIMIT 1 FOR UPDATE""";

    private final JdbcTemplate jdbc;

    private final Dialect dialect;

    JdbcSignalStore(JdbcTemplate jdbc, DatabaseType database) {
        this.jdbc = jdbc;
        this.dialect = database.dialect();
    }

    @Override
    public void insertSignal(String id, String key, String payload, Instant now) {
        // a check, not a failing insert: on PostgreSQL a failed statement would end the caller's transaction
        Integer recorded =
                this.jdbc.queryForObject("SELECT COUNT(*) FROM dispatch_signal WHERE id = ?", Integer.class, id);
        if (recorded != null && recorded > 0) {
            return;
        }
        this.jdbc.update(
                "INSERT INTO dispatch_signal (id, signal_key, payload, created_at) VALUES (?, ?, ?, ?)",
                id,
                key,
                payload,
                time(now));
    }

    @Override
    public void insertWait(String groupId, String parentId, String rootId, String key, Instant timeoutAt, Instant now) {
        this.jdbc.update("""
                INSERT INTO dispatch_signal_wait (group_id, parent_id, root_id, signal_key, created_at, timeout_at)
                VALUES (?, ?, ?, ?, ?, ?)""", groupId, parentId, rootId, key, time(now), time(timeoutAt));
    }

    @Override
    public Optional<String> deliverOne(String key, Instant now) {
        List<String> signal = this.jdbc.queryForList(WAITING_SIGNAL, String.class, key);
        if (signal.isEmpty()) {
            return Optional.empty();
        }
        List<String[]> wait =
                this.jdbc.query(OPEN_WAIT, (rs, n) -> new String[] {rs.getString(1), rs.getString(2)}, key);
        if (wait.isEmpty()) {
            return Optional.empty();
        }
        String groupId = wait.get(0)[0];
        String parentId = wait.get(0)[1];
        // both rows are locked: the conditions hold, and a time-out of the same wait either came first or waits
        this.jdbc.update(
                "UPDATE dispatch_signal SET taken_by = ?, taken_at = ? WHERE id = ? AND taken_by IS NULL",
                groupId,
                time(now),
                signal.get(0));
        this.jdbc.update(
                "UPDATE dispatch_signal_wait SET signal_id = ?, ended_at = ? WHERE group_id = ? AND ended_at IS NULL",
                signal.get(0),
                time(now),
                groupId);
        this.jdbc.update(
                "UPDATE dispatch_call_group SET decided_at = ?, version = version + 1 WHERE id = ?",
                time(now),
                groupId);
        this.jdbc.update("""
                UPDATE dispatch_invocation SET next_attempt_at = ?, updated_at = ?
                WHERE id = ? AND status = 'PENDING' AND awaiting_group_id = ?""", time(now), time(now), parentId, groupId);
        this.dialect.announce(this.jdbc);
        return Optional.of(parentId);
    }

    @Override
    public boolean timeOut(String groupId, Instant now) {
        if (this.jdbc.update(
                        "UPDATE dispatch_signal_wait SET ended_at = ? WHERE group_id = ? AND ended_at IS NULL"
                                + " AND timeout_at <= ?",
                        time(now),
                        groupId,
                        time(now))
                != 1) {
            return false;
        }
        this.jdbc.update(
                "UPDATE dispatch_call_group SET decided_at = ?, version = version + 1 WHERE id = ?",
                time(now),
                groupId);
        return true;
    }

    @Override
    public InvocationStore.SuspendOutcome waitUntil(
            String id, long epoch, String groupId, Instant timeoutAt, Instant now) {
        List<Object> decided = this.jdbc.queryForList(
                "SELECT decided_at FROM dispatch_call_group WHERE id = ? FOR UPDATE", Object.class, groupId);
        if (!decided.isEmpty() && decided.get(0) != null) {
            return InvocationStore.SuspendOutcome.DECIDED;
        }
        int updated = this.jdbc.update("""
                UPDATE dispatch_invocation SET status = 'PENDING', next_attempt_at = ?, awaiting_group_id = ?,
                    lease_owner = NULL, lease_expires_at = NULL, updated_at = ?, version = version + 1
                WHERE id = ? AND version = ? AND status = 'RUNNING'""", time(timeoutAt), groupId, time(now), id, epoch);
        return updated == 1 ? InvocationStore.SuspendOutcome.SUSPENDED : InvocationStore.SuspendOutcome.LEASE_LOST;
    }

    @Override
    public Optional<Wait> findWait(String groupId) {
        return this.jdbc
                .query(
                        "SELECT signal_key, timeout_at, ended_at FROM dispatch_signal_wait WHERE group_id = ?",
                        (rs, n) -> new Wait(rs.getString(1), readTime(rs, 2), rs.getObject(3) != null),
                        groupId)
                .stream()
                .findFirst();
    }

    @Override
    public Optional<String> findTakenPayload(String groupId) {
        return this.jdbc
                .queryForList(
                        "SELECT s.payload FROM dispatch_signal_wait w JOIN dispatch_signal s ON s.id = w.signal_id"
                                + " WHERE w.group_id = ?",
                        String.class,
                        groupId)
                .stream()
                .findFirst();
    }

    @Override
    public List<String> findDeliverableKeys(int limit) {
        return this.jdbc.queryForList("""
                SELECT DISTINCT w.signal_key FROM dispatch_signal_wait w
                JOIN dispatch_invocation i ON i.id = w.parent_id
                WHERE w.ended_at IS NULL AND i.status IN ('PENDING', 'RUNNING', 'SUSPENDED')
                    AND EXISTS (SELECT 1 FROM dispatch_signal s WHERE s.signal_key = w.signal_key AND s.taken_by IS NULL)
                LIMIT ?""", String.class, limit);
    }

    @Override
    public List<OpenWait> findOpenWaits(int limit) {
        return this.jdbc.query(
                """
                SELECT w.signal_key, w.parent_id, i.function_name, w.created_at, w.timeout_at
                FROM dispatch_signal_wait w JOIN dispatch_invocation i ON i.id = w.parent_id
                WHERE w.ended_at IS NULL AND i.status IN ('PENDING', 'RUNNING', 'SUSPENDED')
                ORDER BY w.created_at, w.group_id LIMIT ?""",
                (rs, n) -> new OpenWait(
                        rs.getString(1), rs.getString(2), rs.getString(3), readTime(rs, 4), readTime(rs, 5)),
                limit);
    }

    @Override
    public List<WaitingSignal> findWaitingSignals(int limit) {
        return this.jdbc.query(
                "SELECT id, signal_key, created_at, LENGTH(payload) FROM dispatch_signal WHERE taken_by IS NULL"
                        + " ORDER BY created_at, id LIMIT ?",
                (rs, n) -> new WaitingSignal(rs.getString(1), rs.getString(2), readTime(rs, 3), rs.getInt(4)),
                limit);
    }

    private static Instant readTime(java.sql.ResultSet rs, int index) throws java.sql.SQLException {
        @Nullable Instant time = StoreTimes.read(rs, index);
        return (time != null) ? time : Instant.EPOCH;
    }
}
