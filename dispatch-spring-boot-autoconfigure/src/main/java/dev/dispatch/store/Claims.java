package dev.dispatch.store;

import static dev.dispatch.store.InvocationStore.readTime;
import static dev.dispatch.store.InvocationStore.setTime;
import static dev.dispatch.store.InvocationStore.time;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.SqlArrayValue;

/**
 * Claims and leases: which node runs which invocation. A claim is an update only one node can win. On PostgreSQL a
 * claim locks the rows it takes with {@code FOR UPDATE SKIP LOCKED}, so nodes never wait on each other's rows and one
 * statement both picks and takes the work; elsewhere a claim is a batch of updates that each check the row is still
 * pending.
 */
public class Claims {

    private static final String CLAIMED_COLUMNS = """
            i.id, i.function_name, i.arguments, i.attempts, i.max_attempts, i.parent_id, i.root_id, i.group_id,
            g.kind, i.created_at, i.awaiting_group_id, i.trace_context, i.deadline_at""";

    private static final String PG_CLAIM = """
            WITH claimed AS (
                UPDATE dispatch_invocation SET status = 'RUNNING', lease_owner = :owner, lease_expires_at = :leaseUntil,
                    attempts = attempts + CASE WHEN awaiting_group_id IS NULL THEN 1 ELSE 0 END, updated_at = :now,
                    version = version + 1
                WHERE id IN (
                    SELECT id FROM dispatch_invocation
                    WHERE %s
                    FOR UPDATE SKIP LOCKED)
                RETURNING *)
            SELECT %s FROM claimed i LEFT JOIN dispatch_call_group g ON g.id = i.group_id""";

    /** H2: the rows an update changed, as they are after it (a data change delta table), joined to their step. */
    private static final String H2_CLAIM = """
            SELECT %2$s FROM FINAL TABLE (
                UPDATE dispatch_invocation SET status = 'RUNNING', lease_owner = :owner, lease_expires_at = :leaseUntil,
                    attempts = attempts + CASE WHEN awaiting_group_id IS NULL THEN 1 ELSE 0 END, updated_at = :now,
                    version = version + 1
                WHERE %1$s) i
            LEFT JOIN dispatch_call_group g ON g.id = i.group_id""";

    private static final String CLAIM = """
            UPDATE dispatch_invocation SET status = 'RUNNING', lease_owner = ?, lease_expires_at = ?,
                attempts = attempts + CASE WHEN awaiting_group_id IS NULL THEN 1 ELSE 0 END, updated_at = ?,
                version = version + 1
            WHERE id = ? AND status = 'PENDING' AND next_attempt_at <= ? AND (deadline_at IS NULL OR deadline_at > ?)""";

    private static final String SELECT_CLAIMED = "SELECT " + CLAIMED_COLUMNS
            + " FROM dispatch_invocation i LEFT JOIN dispatch_call_group g ON g.id = i.group_id"
            + " WHERE i.id IN (:ids) AND i.lease_owner = :owner AND i.status = 'RUNNING'";

    /** An invocation whose deadline passed is not started: housekeeping ends its tree. */
    private static final String NOT_PAST_DEADLINE = " AND (deadline_at IS NULL OR deadline_at > :now)";

    private static final RowMapper<ClaimedInvocation> CLAIMED = Claims::claimed;

    private final JdbcTemplate jdbc;

    private final NamedParameterJdbcTemplate named;

    private final boolean skipLocked;

    private final boolean deltaTables;

    private final FunctionSlots slots;

    public Claims(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.skipLocked = isPostgres(jdbc);
        this.slots = new FunctionSlots(jdbc, this.skipLocked);
        this.deltaTables = isH2(jdbc);
    }

    static boolean isH2(JdbcTemplate jdbc) {
        try {
            return "H2"
                    .equalsIgnoreCase(JdbcUtils.extractDatabaseMetaData(
                            jdbc.getDataSource(), DatabaseMetaData::getDatabaseProductName));
        } catch (Exception ex) {
            return false;
        }
    }

    static boolean isPostgres(JdbcTemplate jdbc) {
        try {
            String product =
                    JdbcUtils.extractDatabaseMetaData(jdbc.getDataSource(), DatabaseMetaData::getDatabaseProductName);
            return "PostgreSQL".equalsIgnoreCase(product);
        } catch (Exception ex) {
            return false;
        }
    }

    /** Whether claims lock with {@code FOR UPDATE SKIP LOCKED}. */
    public boolean usesSkipLocked() {
        return this.skipLocked;
    }

    /**
     * Claims up to {@code limit} due invocations of the given functions, oldest first: the poller's claim. On
     * PostgreSQL one statement picks and takes them, skipping rows another node is taking.
     */
    public List<ClaimedInvocation> claimDue(
            Instant now, Collection<String> functions, int limit, String owner, Instant leaseUntil) {
        if (functions.isEmpty() || limit <= 0) {
            return List.of();
        }
        if (this.deltaTables) {
            // One statement: H2 is one process, whose claims the scheduler thread makes one at a time.
            String where = """
                    id IN (SELECT id FROM dispatch_invocation
                        WHERE status = 'PENDING' AND next_attempt_at <= :now AND function_name IN (:functions)
                            AND (deadline_at IS NULL OR deadline_at > :now)
                        ORDER BY next_attempt_at FETCH FIRST :limit ROWS ONLY)
                    AND status = 'PENDING'""";
            MapSqlParameterSource params = claimParams(owner, now, leaseUntil)
                    .addValue("functions", functions)
                    .addValue("limit", limit);
            return this.named.query(H2_CLAIM.formatted(where, CLAIMED_COLUMNS), params, CLAIMED);
        }
        if (!this.skipLocked) {
            return claim(findDue(now, functions, limit), owner, now, leaseUntil);
        }
        String where = "status = 'PENDING' AND next_attempt_at <= :now AND function_name IN (:functions)"
                + NOT_PAST_DEADLINE + " ORDER BY next_attempt_at LIMIT :limit";
        MapSqlParameterSource params = claimParams(owner, now, leaseUntil)
                .addValue("functions", functions)
                .addValue("limit", limit);
        return this.named.query(PG_CLAIM.formatted(where, CLAIMED_COLUMNS), params, CLAIMED);
    }

    /**
     * The poller's claim when some functions have a concurrency limit: each limited function first, oldest first, at
     * most as many as its limit leaves room for (counted in the database, under a lock on PostgreSQL: call it in the
     * transaction that claims); then the unlimited functions, so due calls of a limited function at its limit never
     * hold back the others.
     */
    public List<ClaimedInvocation> claimDue(
            Instant now,
            Collection<String> functions,
            int limit,
            String owner,
            Instant leaseUntil,
            Map<String, FunctionLimit> limits) {
        if (limits.isEmpty()) {
            return claimDue(now, functions, limit, owner, leaseUntil);
        }
        List<ClaimedInvocation> claimed = new ArrayList<>();
        List<String> unlimited = new ArrayList<>();
        for (String function : new TreeSet<>(functions)) {
            FunctionLimit functionLimit = limits.get(function);
            if (functionLimit == null) {
                unlimited.add(function);
                continue;
            }
            int wanted = limit - claimed.size();
            if (wanted > 0 && this.slots.hasDue(function, now)) {
                int room = Math.min(wanted, this.slots.room(function, functionLimit, owner));
                claimed.addAll(claimDue(now, List.of(function), room, owner, leaseUntil));
            }
        }
        claimed.addAll(claimDue(now, unlimited, limit - claimed.size(), owner, leaseUntil));
        return claimed;
    }

    /** Ids of invocations due to run, oldest first, among the given functions. */
    List<String> findDue(Instant now, Collection<String> functions, int limit) {
        if (functions.isEmpty() || limit <= 0) {
            return List.of();
        }
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("now", time(now))
                .addValue("functions", functions)
                .addValue("limit", limit);
        return this.named.queryForList("""
                SELECT id FROM dispatch_invocation
                WHERE status = 'PENDING' AND next_attempt_at <= :now AND function_name IN (:functions)
                    AND (deadline_at IS NULL OR deadline_at > :now)
                ORDER BY next_attempt_at FETCH FIRST :limit ROWS ONLY""", params, String.class);
    }

    /**
     * Takes the lease of each invocation that is still pending, and returns those this node won. Another node
     * racing for the same row sees its status changed (or, on PostgreSQL, skips it) and gets nothing.
     */
    public List<ClaimedInvocation> claim(Collection<String> ids, String owner, Instant now, Instant leaseUntil) {
        if (ids.isEmpty()) {
            return List.of();
        }
        if (this.skipLocked || this.deltaTables) {
            // "(status = ...) IS TRUE" cannot use an index: the planner takes the primary key for the ids, even with
            // statistics from before a large insert that make the status index look selective. On PostgreSQL the ids
            // are one array parameter: one statement text whatever their number, prepared once per connection.
            // A call whose time has not come (a durable sleep, a retry's back-off) is not taken early, whoever offered
            // its id.
            String where = (this.skipLocked ? "id = ANY(:ids)" : "id IN (:ids)")
                    + " AND (status = 'PENDING') IS TRUE AND next_attempt_at <= :now" + NOT_PAST_DEADLINE;
            return this.named.query(
                    (this.skipLocked ? PG_CLAIM : H2_CLAIM).formatted(where, CLAIMED_COLUMNS),
                    claimParams(owner, now, leaseUntil).addValue("ids", idList(ids)),
                    CLAIMED);
        }
        List<String> list = List.copyOf(ids);
        int[][] counts = this.jdbc.batchUpdate(CLAIM, list, 1000, (ps, id) -> {
            ps.setString(1, owner);
            setTime(ps, 2, leaseUntil);
            setTime(ps, 3, now);
            ps.setString(4, id);
            setTime(ps, 5, now);
            setTime(ps, 6, now);
        });
        List<String> won = new ArrayList<>(list.size());
        int index = 0;
        for (int[] batch : counts) {
            for (int count : batch) {
                if (count != 0) {
                    won.add(list.get(index));
                }
                index++;
            }
        }
        return selectClaimed(won, owner);
    }

    /**
     * Claims these invocations when some functions have a concurrency limit: those of limited functions only as far as
     * their limits leave room (see {@link #claimDue(Instant, Collection, int, String, Instant, Map)}); the ones left
     * stay pending for the poller.
     */
    public List<ClaimedInvocation> claim(
            Collection<String> ids, String owner, Instant now, Instant leaseUntil, Map<String, FunctionLimit> limits) {
        if (limits.isEmpty() || ids.isEmpty()) {
            return claim(ids, owner, now, leaseUntil);
        }
        Map<String, List<String>> limited = new TreeMap<>();
        this.named.query(
                "SELECT id, function_name FROM dispatch_invocation WHERE id IN (:ids) AND function_name IN (:limited)",
                new MapSqlParameterSource("ids", ids).addValue("limited", limits.keySet()),
                rs -> {
                    limited.computeIfAbsent(rs.getString(2), f -> new ArrayList<>())
                            .add(rs.getString(1));
                });
        List<String> others = new ArrayList<>(ids);
        limited.values().forEach(others::removeAll);
        List<ClaimedInvocation> claimed = new ArrayList<>(claim(others, owner, now, leaseUntil));
        for (Map.Entry<String, List<String>> function : limited.entrySet()) {
            int room = this.slots.room(function.getKey(), limits.get(function.getKey()), owner);
            List<String> some = function.getValue()
                    .subList(0, Math.min(room, function.getValue().size()));
            claimed.addAll(claim(some, owner, now, leaseUntil));
        }
        return claimed;
    }

    /** The claimed rows, as this node holds them. */
    public List<ClaimedInvocation> selectClaimed(Collection<String> ids, String owner) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return this.named.query(
                SELECT_CLAIMED, new MapSqlParameterSource().addValue("ids", ids).addValue("owner", owner), CLAIMED);
    }

    /**
     * Extends the leases of the given invocations, those this node runs, where it still holds them. Never every row
     * under its name: a process that restarted under the same node id would keep its dead predecessor's calls alive.
     */
    public int renewLeases(String owner, Collection<String> ids, Instant leaseUntil) {
        if (ids.isEmpty()) {
            return 0;
        }
        return this.named.update(
                "UPDATE dispatch_invocation SET lease_expires_at = :leaseUntil"
                        + (this.skipLocked ? " WHERE id = ANY(:ids)" : " WHERE id IN (:ids)")
                        + " AND lease_owner = :owner AND (status = 'RUNNING') IS TRUE",
                new MapSqlParameterSource()
                        .addValue("leaseUntil", time(leaseUntil))
                        .addValue("ids", idList(ids))
                        .addValue("owner", owner));
    }

    /** Ids as a parameter: a {@code varchar} array on PostgreSQL ({@code = ANY(:ids)}), an expanded list elsewhere. */
    private Object idList(Collection<String> ids) {
        return this.skipLocked ? new SqlArrayValue("varchar", ids.toArray()) : ids;
    }

    /** Running invocations whose node stopped renewing their lease. */
    public List<ClaimedInvocation> findExpiredLeases(Instant now, int limit) {
        return this.jdbc.query(
                "SELECT " + CLAIMED_COLUMNS
                        + " FROM dispatch_invocation i LEFT JOIN dispatch_call_group g ON g.id = i.group_id"
                        + " WHERE i.status = 'RUNNING' AND i.lease_expires_at < ?"
                        + " ORDER BY i.lease_expires_at FETCH FIRST ? ROWS ONLY",
                CLAIMED,
                time(now),
                limit);
    }

    /** Takes over an expired lease for {@code owner}, if it is still expired, to write the attempt's end. */
    public boolean takeOverExpired(String id, String owner, Instant now, Instant leaseUntil) {
        return this.jdbc.update("""
                        UPDATE dispatch_invocation SET lease_owner = ?, lease_expires_at = ?, version = version + 1
                        WHERE id = ? AND status = 'RUNNING' AND lease_expires_at < ?""", owner, time(leaseUntil), id, time(now)) == 1;
    }

    /**
     * Hands back an invocation this node claimed but will not run (it has no such function, or it is stopping):
     * pending again, and the claim does not count as an attempt.
     */
    public boolean release(String id, String owner, Instant now) {
        return this.jdbc.update("""
                        UPDATE dispatch_invocation SET status = 'PENDING', lease_owner = NULL, lease_expires_at = NULL,
                            attempts = attempts - CASE WHEN awaiting_group_id IS NULL THEN 1 ELSE 0 END,
                            updated_at = ?, version = version + 1
                        WHERE id = ? AND status = 'RUNNING' AND lease_owner = ?""", time(now), id, owner) == 1;
    }

    /** The database's clock, which all nodes share. */
    public Instant databaseNow() {
        Timestamp now = this.jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", Timestamp.class);
        return now != null ? now.toInstant() : Instant.now();
    }

    private static MapSqlParameterSource claimParams(String owner, Instant now, Instant leaseUntil) {
        return new MapSqlParameterSource()
                .addValue("owner", owner)
                .addValue("leaseUntil", time(leaseUntil))
                .addValue("now", time(now));
    }

    private static ClaimedInvocation claimed(ResultSet rs, int row) throws SQLException {
        String kind = rs.getString(9);
        return new ClaimedInvocation(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getInt(4),
                rs.getInt(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                (kind != null) ? GroupKind.valueOf(kind) : null,
                readTime(rs, 10),
                rs.getString(11) != null,
                rs.getString(12),
                InvocationStore.readNullableTime(rs, 13));
    }
}
