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
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

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

    private static final String INSERT_ENDED = "INSERT INTO dispatch_invocation ("
            + JdbcInvocationStore.INVOCATION_COLUMNS
            + ", result, error_type, error_message, error_status, error_stack, completed_at, version)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)";

    private static final String INSERT_DECIDED_GROUP = """
            INSERT INTO dispatch_call_group (id, parent_id, step_index, kind, size, completed_count, failed_count,
                first_failure_id, signature, created_at, decided_at, version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)""";

    private static final String UPDATE_GROUP = """
            UPDATE dispatch_call_group SET completed_count = ?, failed_count = ?,
                first_failure_id = COALESCE(first_failure_id, ?), winner_id = COALESCE(winner_id, ?),
                decided_at = COALESCE(decided_at, ?), version = version + 1
            WHERE id = ?""";

    private final JdbcTemplate jdbc;

    private final NamedParameterJdbcTemplate named;

    private final Dialect dialect;

    JdbcEnds(JdbcTemplate jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
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
        Map<String, List<Finished>> finishedByStep = new TreeMap<>();
        byStep.forEach((groupId, indexes) -> {
            List<Finished> finished = new ArrayList<>(indexes.size());
            for (int index : indexes) {
                Transition transition = transitions.get(index);
                finished.add(
                        new Finished(transition.invocation().id(), transition.kind() == Transition.Kind.SUCCEEDED));
            }
            finishedByStep.put(groupId, finished);
        });
        countInGroups(finishedByStep, now).forEach((groupId, woken) -> {
            outcomes[Objects.requireNonNull(byStep.get(groupId)).get(woken.decidedBy())] =
                    new Outcome(true, woken.parentId());
        });
        return List.of(outcomes);
    }

    /**
     * Whether an inline call's rows, not written yet, can be written as they end ({@link #insertEnded}): its attempt
     * ended for good and it is the one call of its step.
     */
    static boolean endsInline(NewGroup group, NewInvocation row, Transition transition) {
        return transition.terminal()
                && row.inline()
                && group.kind() == GroupKind.CALL
                && group.size() == 1
                && row.id().equals(transition.invocation().id())
                && group.id().equals(row.groupId());
    }

    /**
     * Writes an inline call that ended for good together with its step, in the state that inserting them as running,
     * then {@link #recordAll ending} the call and counting it would leave: the call ended (version 1, no lease), the
     * step counted and decided. Two inserts instead of two inserts, three updates and a read; the caller holds its
     * own row (its epoch checked under a row lock), runs, and so has nothing to be woken from.
     */
    void insertEnded(NewGroup group, NewInvocation row, Transition transition, Instant now) {
        boolean succeeded = transition.kind() == Transition.Kind.SUCCEEDED;
        int completed = succeeded ? 1 : 0;
        int failed = succeeded ? 0 : 1;
        this.jdbc.update(INSERT_DECIDED_GROUP, ps -> {
            ps.setString(1, group.id());
            ps.setString(2, group.parentId());
            ps.setInt(3, group.stepIndex());
            ps.setString(4, group.kind().name());
            ps.setInt(5, group.size());
            ps.setInt(6, completed);
            ps.setInt(7, failed);
            ps.setString(8, succeeded ? null : row.id());
            ps.setString(9, group.signature());
            setTime(ps, 10, now);
            setTime(ps, 11, group.kind().isDecided(group.size(), completed, failed) ? now : null);
        });
        this.jdbc.update(INSERT_ENDED, ps -> {
            JdbcInvocationStore.bind(ps, row, now);
            ps.setString(4, succeeded ? "SUCCEEDED" : "FAILED");
            ps.setString(8, null);
            setTime(ps, 9, null);
            ErrorRecord error = succeeded ? null : transition.error();
            ps.setString(23, succeeded ? transition.result() : null);
            ps.setString(24, error != null ? error.type() : null);
            ps.setString(25, error != null ? error.message() : null);
            ps.setString(26, error != null ? error.status() : null);
            ps.setString(27, error != null ? error.stack() : null);
            setTime(ps, 28, now);
        });
    }

    private static void bindEnd(PreparedStatement ps, Transition transition, Instant now) throws SQLException {
        ClaimedInvocation invocation = transition.invocation();
        int i = 1;
        if (transition.kind() == Transition.Kind.SUCCEEDED) {
            ps.setString(i++, transition.result());
        } else {
            ErrorRecord error = Objects.requireNonNull(transition.error(), "a failed attempt's end has its error");
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
     * Counts finished children in their steps, as {@link #countInGroup} does step by step, in two statements for all
     * of them: their rows locked by one read, in id order as every writer of several steps locks them, and updated in
     * one batch. Many small runs end their calls in the same batches (a claim by turn takes the first call of each
     * run, then the second), so a batch of ends touches as many steps as it has ends.
     *
     * @param children the children of each step, by step id
     * @return the parents woken, by the id of the step that woke them
     */
    Map<String, Woken> countInGroups(Map<String, List<Finished>> children, Instant now) {
        if (children.size() <= 1) {
            Map<String, Woken> woken = new TreeMap<>();
            children.forEach((groupId, finished) -> {
                Woken one = countInGroup(groupId, finished, now);
                if (one != null) {
                    woken.put(groupId, one);
                }
            });
            return woken;
        }
        List<Map<String, Object>> rows = this.named.queryForList(
                "SELECT id, parent_id, kind, size, completed_count, failed_count, decided_at FROM dispatch_call_group"
                        + " WHERE " + this.dialect.idIn("id", "ids") + " ORDER BY id FOR UPDATE",
                new MapSqlParameterSource("ids", this.dialect.idList(children.keySet())));
        List<Object[]> updates = new ArrayList<>(rows.size());
        Map<String, Woken> decided = new TreeMap<>();
        for (Map<String, Object> row : rows) {
            String groupId = Rows.textOf(row, "id");
            Counted counted = count(row, Objects.requireNonNull(children.get(groupId)), now);
            updates.add(counted.update(groupId));
            if (counted.decidedBy() >= 0) {
                decided.put(groupId, new Woken(Rows.textOf(row, "parent_id"), counted.decidedBy()));
            }
        }
        this.jdbc.batchUpdate(UPDATE_GROUP, updates);
        Map<String, Woken> woken = new TreeMap<>();
        decided.forEach((groupId, parent) -> {
            if (wake(parent.parentId(), groupId, now)) {
                woken.put(groupId, parent);
            }
        });
        return woken;
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
        Counted counted = count(rows.get(0), children, now);
        this.jdbc.update(UPDATE_GROUP, counted.update(groupId));
        if (counted.decidedBy() < 0) {
            return null;
        }
        String parentId = Rows.textOf(rows.get(0), "parent_id");
        return wake(parentId, groupId, now) ? new Woken(parentId, counted.decidedBy()) : null;
    }

    /** The step's counts (its locked row) after these children, in the order given. */
    private static Counted count(Map<String, Object> row, List<Finished> children, Instant now) {
        GroupKind kind = GroupKind.valueOf(Rows.textOf(row, "kind"));
        int size = Rows.intOf(row, "size");
        int completed = Rows.intOf(row, "completed_count");
        int failed = Rows.intOf(row, "failed_count");
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
        return new Counted(completed, failed, firstFailure, winner, decidedBy >= 0 ? time(now) : null, decidedBy);
    }

    /** A step's new counts; {@code decidedBy}: the index of the child that decided it, or -1. */
    private record Counted(
            int completed,
            int failed,
            @Nullable String firstFailure,
            @Nullable String winner,
            @Nullable Object decidedAt,
            int decidedBy) {

        /** The arguments of {@link #UPDATE_GROUP} for the step. */
        Object[] update(String groupId) {
            return new Object[] {this.completed, this.failed, this.firstFailure, this.winner, this.decidedAt, groupId};
        }
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
