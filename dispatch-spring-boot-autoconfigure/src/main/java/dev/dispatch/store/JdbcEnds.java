package dev.dispatch.store;

import static dev.dispatch.store.JdbcInvocationStore.setTime;
import static dev.dispatch.store.JdbcInvocationStore.time;

import dev.dispatch.store.InvocationStore.Outcome;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How attempts end: their ends written in batches, each fenced by the epoch of its claim, and the terminal ones
 * counted in the steps that await them, waking a parent whose step they decide.
 */
final class JdbcEnds {

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

    private final JdbcTemplate jdbc;

    private final Dialect dialect;

    JdbcEnds(JdbcTemplate jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    /** Writes the ends of these attempts, each fenced by its epoch, and counts the terminal ones in their steps. */
    List<Outcome> recordAll(List<Transition> transitions, Instant now) {
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
            // in id order, as every writer of several invocation rows locks them: no deadlock among them
            indexes.sort(Comparator.comparing(
                    index -> transitions.get(index).invocation().id()));
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

    /** Wakes a parent suspended on this step. */
    boolean wake(String parentId, String groupId, Instant now) {
        boolean woken = this.jdbc.update("""
                        UPDATE dispatch_invocation SET status = 'PENDING', next_attempt_at = ?, updated_at = ?,
                            version = version + 1
                        WHERE id = ? AND status = 'SUSPENDED' AND awaiting_group_id = ?""", time(now), time(now), parentId, groupId) == 1;
        if (woken) {
            this.dialect.announce(this.jdbc);
        }
        return woken;
    }
}
