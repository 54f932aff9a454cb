package dev.dispatch.store;

import static dev.dispatch.store.JdbcInvocationStore.readTime;
import static dev.dispatch.store.JdbcInvocationStore.time;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Claims and leases: which node runs which invocation. A claim is an update only one node can win: it locks the rows it
 * takes and skips those another node is taking ({@code FOR UPDATE SKIP LOCKED}), so nodes never wait on each other's
 * rows; how is the {@link Dialect}'s.
 */
final class JdbcClaims implements Claims {

    /** What a claim reads of each invocation it took (as {@code i}, with its step as {@code g}). */
    static final String CLAIMED_COLUMNS = """
            i.id, i.function_name, i.arguments, i.attempts, i.max_attempts, i.parent_id, i.root_id, i.group_id,
            g.kind, i.created_at, i.awaiting_group_id, i.trace_context, i.deadline_at, i.version,
            i.error_type, i.priority, i.call_turn""";

    /**
     * What a claim sets: running under the owner's lease, a new epoch (the version). The attempt counts only once its
     * body starts ({@link #start}).
     */
    static final String TAKE = """
            status = 'RUNNING', lease_owner = :owner, lease_expires_at = :leaseUntil, updated_at = :now,
                version = version + 1""";

    private static final String SELECT_CLAIMED = "SELECT " + CLAIMED_COLUMNS
            + " FROM dispatch_invocation i LEFT JOIN dispatch_call_group g ON g.id = i.group_id"
            + " WHERE i.id IN (:ids) AND i.lease_owner = :owner AND i.status = 'RUNNING'";

    /** A lease renewed where this hold is still the call's: same owner, same epoch, still running. */
    private static final String RENEW_LEASE = "UPDATE dispatch_invocation SET lease_expires_at = ?"
            + " WHERE id = ? AND version = ? AND lease_owner = ? AND status = 'RUNNING'";

    /** An invocation whose deadline passed is not started: housekeeping ends its tree. */
    private static final String NOT_PAST_DEADLINE = " AND (deadline_at IS NULL OR deadline_at > :now)";

    /** A claimed call, as the attempt it is about to start (its attempt counts once {@link #start} marks it). */
    static final RowMapper<ClaimedInvocation> CLAIMED = (rs, row) -> claimed(rs, true);

    /** A held call as it stands: its attempts so far, counting the attempt it holds only if that one started. */
    private static final RowMapper<ClaimedInvocation> HELD = (rs, row) -> claimed(rs, false);

    private final JdbcTemplate jdbc;

    private final NamedParameterJdbcTemplate named;

    private final Dialect dialect;

    private final FunctionSlots slots;

    private final TokenBuckets buckets;

    private final KeySlots keys;

    JdbcClaims(JdbcTemplate jdbc, DatabaseType database) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.dialect = database.dialect();
        this.slots = new FunctionSlots(jdbc, this.dialect);
        this.buckets = new TokenBuckets(jdbc, this.dialect);
        this.keys = new KeySlots(this.named, this.dialect);
    }

    @Override
    public List<ClaimedInvocation> claimDue(
            Instant now, Collection<String> functions, int limit, String owner, Instant leaseUntil) {
        if (functions.isEmpty() || limit <= 0) {
            return List.of();
        }
        String filter =
                "status = 'PENDING' AND next_attempt_at <= :now AND function_name IN (:functions)" + NOT_PAST_DEADLINE;
        MapSqlParameterSource params = claimParams(owner, now, leaseUntil)
                .addValue("functions", functions)
                .addValue("limit", limit);
        return this.dialect.claim(this.named, filter, ClaimOrder.ORDER_BY + " LIMIT :limit", params);
    }

    @Override
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
                claimed.addAll(claimLimited(function, functionLimit, null, wanted, owner, now, leaseUntil));
            }
        }
        claimed.addAll(claimDue(now, unlimited, limit - claimed.size(), owner, leaseUntil));
        return claimed;
    }

    @Override
    public List<ClaimedInvocation> claim(Collection<String> ids, String owner, Instant now, Instant leaseUntil) {
        if (ids.isEmpty()) {
            return List.of();
        }
        // A call whose time has not come (a durable sleep, a retry's back-off) is not taken early, whoever offered
        // its id.
        String filter = this.dialect.idIn("id", "ids") + " AND (status = 'PENDING') IS TRUE AND next_attempt_at <= :now"
                + NOT_PAST_DEADLINE;
        return this.dialect.claim(
                this.named, filter, "", claimParams(owner, now, leaseUntil).addValue("ids", this.dialect.idList(ids)));
    }

    @Override
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
            List<String> offered = function.getValue();
            claimed.addAll(claimLimited(
                    function.getKey(),
                    Objects.requireNonNull(limits.get(function.getKey())),
                    offered,
                    offered.size(),
                    owner,
                    now,
                    leaseUntil));
        }
        return claimed;
    }

    /**
     * Claims at most {@code wanted} calls of a limited function, as far as its limits leave room: its due calls in
     * claim order, or those of {@code offered} (the ids a claim by id was given); of a keyed function only calls whose
     * key has room.
     */
    private List<ClaimedInvocation> claimLimited(
            String function,
            FunctionLimit limit,
            @Nullable List<String> offered,
            int wanted,
            String owner,
            Instant now,
            Instant leaseUntil) {
        int room = Math.min(wanted, room(function, limit, owner, now));
        if (room <= 0) {
            return List.of();
        }
        List<ClaimedInvocation> taken;
        if (limit.keyed()) {
            taken = claim(this.keys.choose(function, offered, room, limit.perKey(), now), owner, now, leaseUntil);
        } else if (offered == null) {
            taken = claimDue(now, List.of(function), room, owner, leaseUntil);
        } else {
            taken = claim(offered.subList(0, Math.min(room, offered.size())), owner, now, leaseUntil);
        }
        spend(function, limit, taken.size(), now);
        return taken;
    }

    /**
     * How many calls of a limited function may start now: what its concurrency limits leave room for, and at most the
     * whole tokens of its rate's bucket (its keys' room is counted when choosing calls). Locks what it counts until the
     * transaction ends.
     */
    private int room(String function, FunctionLimit limit, String owner, Instant now) {
        if (limit.countsRunning() || limit.keyed()) {
            this.slots.lock(function);
        }
        int room = limit.countsRunning() ? this.slots.room(function, limit, owner) : Integer.MAX_VALUE;
        if (room > 0 && limit.hasRate()) {
            room = Math.min(room, this.buckets.available(function, limit, now));
        }
        return room;
    }

    private void spend(String function, FunctionLimit limit, int started, Instant now) {
        if (limit.hasRate() && started > 0) {
            this.buckets.take(function, limit, started, now);
        }
    }

    @Override
    public List<ClaimedInvocation> selectClaimed(Collection<String> ids, String owner) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return this.named.query(
                SELECT_CLAIMED, new MapSqlParameterSource().addValue("ids", ids).addValue("owner", owner), CLAIMED);
    }

    @Override
    public Set<String> renewLeases(String owner, Map<String, Long> held, Instant leaseUntil) {
        if (held.isEmpty()) {
            return Set.of();
        }
        // in id order, as every writer of several invocation rows locks them: no deadlock among them
        List<Map.Entry<String, Long>> holds =
                held.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
        if (holds.size() == 1) {
            // one hold (a step confirming its own): a plain statement, whose count every driver reports exactly
            Map.Entry<String, Long> hold = holds.get(0);
            int count = this.jdbc.update(RENEW_LEASE, time(leaseUntil), hold.getKey(), hold.getValue(), owner);
            return (count == 0) ? Set.of(hold.getKey()) : Set.of();
        }
        int[][] counts = this.jdbc.batchUpdate(RENEW_LEASE, holds, 1000, (ps, hold) -> {
            StoreTimes.set(ps, 1, leaseUntil);
            ps.setString(2, hold.getKey());
            ps.setLong(3, hold.getValue());
            ps.setString(4, owner);
        });
        Set<String> lost = new HashSet<>();
        int index = 0;
        for (int[] batch : counts) {
            for (int count : batch) {
                // a driver that cannot tell (SUCCESS_NO_INFO) applied it: the statement did not fail
                if (count == 0) {
                    lost.add(holds.get(index).getKey());
                }
                index++;
            }
        }
        return lost;
    }

    @Override
    public List<ClaimedInvocation> findExpiredLeases(Instant now, int limit) {
        return this.jdbc.query(
                "SELECT " + CLAIMED_COLUMNS
                        + " FROM dispatch_invocation i LEFT JOIN dispatch_call_group g ON g.id = i.group_id"
                        + " WHERE i.status = 'RUNNING' AND i.lease_expires_at < ?"
                        + " ORDER BY i.lease_expires_at LIMIT ?",
                HELD,
                time(now),
                limit);
    }

    @Override
    public boolean takeOverExpired(ClaimedInvocation expired, String owner, Instant now, Instant leaseUntil) {
        return this.jdbc.update("""
                        UPDATE dispatch_invocation SET lease_owner = ?, lease_expires_at = ?, version = version + 1
                        WHERE id = ? AND version = ? AND status = 'RUNNING' AND lease_expires_at < ?""", owner, time(leaseUntil), expired.id(), expired.epoch(), time(now)) == 1;
    }

    private static final String START = """
            UPDATE dispatch_invocation SET attempts = attempts + CASE WHEN awaiting_group_id IS NULL THEN 1 ELSE 0 END,
                updated_at = ?
            WHERE id = ? AND version = ? AND status = 'RUNNING'""";

    @Override
    public boolean start(ClaimedInvocation claimed, Instant now) {
        return this.jdbc.update(START, time(now), claimed.id(), claimed.epoch()) == 1;
    }

    @Override
    public List<Boolean> startAll(List<ClaimedInvocation> claimed, Instant now) {
        if (claimed.size() == 1) {
            return List.of(start(claimed.get(0), now));
        }
        Object at = time(now);
        // in id order, as every writer of several invocation rows locks them: no deadlock among them
        List<Integer> order = new ArrayList<>(claimed.size());
        for (int i = 0; i < claimed.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(i -> claimed.get(i).id()));
        int[] counts = this.jdbc.batchUpdate(
                START,
                order.stream()
                        .map(claimed::get)
                        .map(call -> new Object[] {at, call.id(), call.epoch()})
                        .toList());
        Boolean[] started = new Boolean[claimed.size()];
        for (int n = 0; n < counts.length; n++) {
            int i = order.get(n);
            ClaimedInvocation call = claimed.get(i);
            // a driver that does not count a batch's rows: the row as the update left it, in this transaction, says
            // whether the update applied (it holds the row's lock, and the update changes no column it checks)
            started[i] = (counts[n] == java.sql.Statement.SUCCESS_NO_INFO)
                    ? Objects.equals(
                            this.jdbc.queryForObject(
                                    "SELECT COUNT(*) FROM dispatch_invocation WHERE id = ? AND version = ?"
                                            + " AND status = 'RUNNING'",
                                    Integer.class,
                                    call.id(),
                                    call.epoch()),
                            1)
                    : counts[n] == 1;
        }
        return Arrays.asList(started);
    }

    @Override
    public boolean release(ClaimedInvocation claimed, String owner, Instant now) {
        return this.jdbc.update("""
                        UPDATE dispatch_invocation SET status = 'PENDING', lease_owner = NULL, lease_expires_at = NULL,
                            updated_at = ?, version = version + 1
                        WHERE id = ? AND version = ? AND status = 'RUNNING' AND lease_owner = ?""", time(now), claimed.id(), claimed.epoch(), owner) == 1;
    }

    @Override
    public Instant databaseNow() {
        return this.dialect.now(this.jdbc);
    }

    private static MapSqlParameterSource claimParams(String owner, Instant now, Instant leaseUntil) {
        return new MapSqlParameterSource()
                .addValue("owner", owner)
                .addValue("leaseUntil", time(leaseUntil))
                .addValue("now", time(now));
    }

    private static ClaimedInvocation claimed(ResultSet rs, boolean starting) throws SQLException {
        String kind = rs.getString(9);
        boolean resume = rs.getString(11) != null;
        return new ClaimedInvocation(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getInt(4) + ((starting && !resume) ? 1 : 0),
                rs.getInt(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                (kind != null) ? GroupKind.valueOf(kind) : null,
                readTime(rs, 10),
                // a run after a suspension, or after an operator's retry of a failed call (which keeps its error):
                // earlier runs may have recorded steps
                resume || rs.getString(15) != null,
                rs.getString(12),
                JdbcInvocationStore.readNullableTime(rs, 13),
                rs.getLong(14),
                rs.getInt(16),
                rs.getInt(17));
    }
}
