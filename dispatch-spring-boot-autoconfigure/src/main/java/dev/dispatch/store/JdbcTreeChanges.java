package dev.dispatch.store;

import static dev.dispatch.store.JdbcInvocationStore.time;

import dev.dispatch.DeadlineExceededException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Changes to whole trees that come from outside their attempts: a cancellation, a deadline that passed, a retry of a
 * failed call by an operator. Each counts the invocation it ends or reopens in its caller's step, as the attempts'
 * own ends do.
 */
final class JdbcTreeChanges implements TreeChanges {

    private final JdbcTemplate jdbc;

    private final NamedParameterJdbcTemplate named;

    private final JdbcInvocationStore store;

    JdbcTreeChanges(JdbcTemplate jdbc, JdbcInvocationStore store) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.store = store;
    }

    @Override
    public InvocationStore.Cancellation cancelTree(String id, Instant now) {
        return endTree(id, now, "CANCELLED", "dev.dispatch.Cancelled", "cancelled", "CANCELLED");
    }

    @Override
    public InvocationStore.Cancellation expireTree(String id, Instant now) {
        String top = id;
        while (true) {
            List<String> parents = this.jdbc.queryForList("""
                    SELECT p.id FROM dispatch_invocation i JOIN dispatch_invocation p ON p.id = i.parent_id
                    WHERE i.id = ? AND p.status IN ('PENDING', 'RUNNING', 'SUSPENDED') AND p.deadline_at <= ?""", String.class, top, time(now));
            if (parents.isEmpty()) {
                break;
            }
            top = parents.get(0);
        }
        List<Map.Entry<String, Instant>> rows = this.jdbc.query(
                "SELECT function_name, deadline_at FROM dispatch_invocation WHERE id = ? AND deadline_at <= ?",
                (rs, n) -> Map.entry(rs.getString(1), JdbcInvocationStore.readTime(rs, 2)),
                top,
                time(now));
        if (rows.isEmpty()) {
            return new InvocationStore.Cancellation(List.of(), null);
        }
        String function = rows.get(0).getKey();
        Instant deadline = rows.get(0).getValue();
        return endTree(
                top,
                now,
                "FAILED",
                DeadlineExceededException.class.getName(),
                DeadlineExceededException.message(function, deadline),
                "TIMEOUT");
    }

    /**
     * Unfinished invocations past their deadline whose caller (if any) is not such an invocation itself. Housekeeping
     * asks this every poll interval, so it reads only the rows past a deadline: through the deadline index, from the
     * epoch (H2 keeps the rows without a deadline first in that index, and an open range reads them all), with the
     * status test written so that no index serves it (H2 otherwise takes the status index and reads every unfinished
     * invocation each round: 6-8 % of the CPU in a 10,000-call benchmark, docs/benchmarks.md).
     */
    private static final String PAST_DEADLINE = """
            SELECT i.id FROM dispatch_invocation i
            WHERE i.deadline_at >= ? AND i.deadline_at <= ?
                AND %s
                AND NOT EXISTS (SELECT 1 FROM dispatch_invocation p WHERE p.id = i.parent_id
                    AND p.deadline_at <= ? AND p.status IN ('PENDING', 'RUNNING', 'SUSPENDED'))
            ORDER BY i.deadline_at LIMIT ?""";

    /**
     * The status test of {@link #PAST_DEADLINE}. H2 would read every unfinished row through the status index for a
     * plain {@code IN}; written as {@code IS TRUE} it takes the deadline index. PostgreSQL's deadline index is partial
     * on the plain {@code IN}, which it must see as written to use the index.
     */
    private static final String UNFINISHED = "i.status IN ('PENDING', 'RUNNING', 'SUSPENDED')";

    /** The query of {@link #findPastDeadline} on one database. */
    static String pastDeadline(DatabaseType database) {
        return PAST_DEADLINE.formatted((database == DatabaseType.H2) ? "(" + UNFINISHED + ") IS TRUE" : UNFINISHED);
    }

    @Override
    public List<String> findPastDeadline(Instant now, int limit) {
        return this.jdbc.queryForList(
                pastDeadline(this.store.database()), String.class, time(Instant.EPOCH), time(now), time(now), limit);
    }

    private InvocationStore.Cancellation endTree(
            String id, Instant now, String status, String errorType, String errorMessage, String errorStatus) {
        List<Map<String, Object>> top = this.jdbc.queryForList(
                "SELECT i.status, i.group_id, g.kind FROM dispatch_invocation i"
                        + " LEFT JOIN dispatch_call_group g ON g.id = i.group_id WHERE i.id = ?",
                id);
        List<String> ended = new ArrayList<>();
        while (true) {
            // A step its running parent was recording meanwhile (under the parent's row lock, which ending the parent
            // waited for) is seen by the next walk: its calls end too, before any of them runs.
            List<String> more = endOpen(walk(id), now, status, errorType, errorMessage, errorStatus);
            if (more.isEmpty()) {
                break;
            }
            ended.addAll(more);
        }
        String woken = null;
        if (!top.isEmpty()
                && ended.contains(id)
                && top.get(0).get("kind") != null
                && GroupKind.valueOf((String) top.get(0).get("kind")).isAwaited()) {
            JdbcEnds.Woken counted = this.store.countInGroup(
                    Rows.textOf(top.get(0), "group_id"), List.of(new JdbcEnds.Finished(id, false)), now);
            woken = (counted != null) ? counted.parentId() : null;
        }
        return new InvocationStore.Cancellation(ended, woken);
    }

    /** The invocation and all its descendants. */
    private List<String> walk(String id) {
        List<String> tree = new ArrayList<>(List.of(id));
        List<String> frontier = List.of(id);
        while (!frontier.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (List<String> chunk : chunks(frontier)) {
                next.addAll(this.named.queryForList(
                        "SELECT id FROM dispatch_invocation WHERE parent_id IN (:ids)",
                        new MapSqlParameterSource("ids", chunk),
                        String.class));
            }
            tree.addAll(next);
            frontier = next;
        }
        return tree;
    }

    /**
     * Ends those of these invocations that are not finished; returns their ids. The open ones are locked first and
     * read as they are once locked: a call whose end commits meanwhile is finished, not ended here (nor counted as
     * cancelled in its step, which its end counted already).
     */
    private List<String> endOpen(
            List<String> tree, Instant now, String status, String errorType, String errorMessage, String errorStatus) {
        List<String> ended = new ArrayList<>();
        // locked in id order, as every writer of several invocation rows locks them: no deadlock among them
        for (List<String> chunk : chunks(tree.stream().sorted().toList())) {
            List<String> open = this.named.queryForList(
                    "SELECT id FROM dispatch_invocation WHERE id IN (:ids)"
                            + " AND status IN ('PENDING', 'RUNNING', 'SUSPENDED') ORDER BY id FOR UPDATE",
                    new MapSqlParameterSource("ids", chunk),
                    String.class);
            if (open.isEmpty()) {
                continue;
            }
            MapSqlParameterSource params = new MapSqlParameterSource("ids", open)
                    .addValue("now", time(now))
                    .addValue("status", status)
                    .addValue("errorType", errorType)
                    .addValue("errorMessage", errorMessage)
                    .addValue("errorStatus", errorStatus);
            this.named.update("""
                    UPDATE dispatch_invocation SET status = :status, error_type = :errorType,
                        error_message = :errorMessage, error_status = :errorStatus, error_stack = NULL,
                        lease_owner = NULL, lease_expires_at = NULL, awaiting_group_id = NULL, updated_at = :now,
                        completed_at = :now, version = version + 1
                    WHERE id IN (:ids) AND status IN ('PENDING', 'RUNNING', 'SUSPENDED')""", params);
            ended.addAll(open);
        }
        return ended;
    }

    @Override
    public boolean retryFailed(String id, Instant now) {
        List<Map<String, Object>> rows = this.jdbc.queryForList(
                "SELECT i.group_id, i.parent_id, g.kind FROM dispatch_invocation i"
                        + " LEFT JOIN dispatch_call_group g ON g.id = i.group_id WHERE i.id = ? AND i.status = 'FAILED'",
                id);
        if (rows.isEmpty()) {
            return false;
        }
        Map<String, Object> row = rows.get(0);
        int updated = this.jdbc.update("""
                UPDATE dispatch_invocation SET status = 'PENDING', attempts = 0, next_attempt_at = ?, completed_at = NULL,
                    lease_owner = NULL, lease_expires_at = NULL, awaiting_group_id = NULL, updated_at = ?,
                    version = version + 1
                WHERE id = ? AND status = 'FAILED'""", time(now), time(now), id);
        if (updated == 1) {
            reopenOpenSteps(id, now);
        }
        if (updated == 0
                || row.get("kind") == null
                || !GroupKind.valueOf((String) row.get("kind")).isAwaited()) {
            return updated == 1;
        }
        String groupId = Rows.textOf(row, "group_id");
        String parentStatus =
                this.store.findStatus(Rows.textOf(row, "parent_id")).orElse("");
        if (parentStatus.equals("FAILED") || parentStatus.equals("SUSPENDED")) {
            reopenStep(groupId, now);
        } else {
            this.jdbc.update("""
                    UPDATE dispatch_call_group SET failed_count = failed_count - 1, version = version + 1
                    WHERE id = ? AND failed_count > 0""", groupId);
        }
        return true;
    }

    /**
     * A retried parent's steps not yet decided, counted again from their children's real states before it replays up
     * to them. A child that ended outside its own attempts while the parent had already failed (cancelled with the
     * parent's tree, or past a deadline, after a retry of its own re-opened the step) was never counted in its step,
     * and the replayed parent would wait for it forever. A decided step keeps its decision: the parent may have acted
     * on it already.
     */
    private void reopenOpenSteps(String parentId, Instant now) {
        for (Map<String, Object> step : this.jdbc.queryForList(
                "SELECT id, kind FROM dispatch_call_group WHERE parent_id = ? AND decided_at IS NULL", parentId)) {
            if (GroupKind.valueOf(Rows.textOf(step, "kind")).isAwaited()) {
                reopenStep(Rows.textOf(step, "id"), now);
            }
        }
    }

    /**
     * Decides a step again from its children's real states, as if they had been counted in the order they finished:
     * the counts, the first failure, the winner of any/race, and whether it is decided at all. A replay of its parent
     * then sees what the children came to, never a step decided by a failure that was retried since.
     */
    private void reopenStep(String groupId, Instant now) {
        List<Map<String, Object>> group = this.jdbc.queryForList(
                "SELECT kind, size, decided_at FROM dispatch_call_group WHERE id = ? FOR UPDATE", groupId);
        if (group.isEmpty()) {
            return;
        }
        GroupKind kind = GroupKind.valueOf(Rows.textOf(group.get(0), "kind"));
        int size = Rows.intOf(group.get(0), "size");
        List<Map<String, Object>> finished = this.jdbc.queryForList("""
                SELECT id, status FROM dispatch_invocation
                WHERE group_id = ? AND status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')
                ORDER BY completed_at, group_position""", groupId);
        int completed = 0;
        int failed = 0;
        String firstFailure = null;
        String winner = null;
        boolean decided = false;
        for (Map<String, Object> child : finished) {
            String childId = Rows.textOf(child, "id");
            boolean succeeded = "SUCCEEDED".equals(child.get("status"));
            if (succeeded) {
                completed++;
            } else {
                failed++;
                firstFailure = (firstFailure != null) ? firstFailure : childId;
            }
            if (!decided && kind.isDecided(size, completed, failed)) {
                decided = true;
                if ((kind == GroupKind.ANY && succeeded) || kind == GroupKind.RACE) {
                    winner = childId;
                }
            }
        }
        Object decidedAt = group.get(0).get("decided_at");
        this.jdbc.update(
                """
                        UPDATE dispatch_call_group SET completed_count = ?, failed_count = ?, first_failure_id = ?,
                            winner_id = ?, decided_at = ?, version = version + 1
                        WHERE id = ?""",
                completed,
                failed,
                firstFailure,
                winner,
                decided ? (decidedAt != null ? decidedAt : time(now)) : null,
                groupId);
    }

    private static List<List<String>> chunks(List<String> ids) {
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += 500) {
            chunks.add(ids.subList(i, Math.min(ids.size(), i + 500)));
        }
        return chunks;
    }
}
