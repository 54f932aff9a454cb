package dev.dispatch.console;

import dev.dispatch.store.DatabaseType;
import dev.dispatch.store.StoreTimes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The questions only the console asks of the store: runs with their progress, calls finished per minute, failures
 * grouped, the invocations a bulk action selects. The ones the actuator asks too stay in
 * {@link dev.dispatch.store.InvocationQueries}. Every answer is bounded: a page, an hour, a group per function and
 * error type.
 */
class ConsoleQueries {

    /** Error messages in lists are cut to this many characters; one invocation's page shows the whole message. */
    static final int MESSAGE_LENGTH = 500;

    private static final String UNFINISHED = "('PENDING', 'RUNNING', 'SUSPENDED')";

    private static final String MESSAGE = "SUBSTRING(error_message FROM 1 FOR " + MESSAGE_LENGTH + ")";

    private final NamedParameterJdbcTemplate named;

    private final DatabaseType database;

    ConsoleQueries(JdbcTemplate jdbc, DatabaseType database) {
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.database = database;
    }

    /** One page of runs, newest first, each with the progress of the calls under it. */
    List<RunRow> runs(RunFilter filter, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, function_name, status, attempts, created_at, completed_at,"
                + " error_type, " + MESSAGE + " FROM dispatch_invocation WHERE parent_id IS NULL");
        MapSqlParameterSource params = new MapSqlParameterSource("limit", limit);
        if (filter.status() != null) {
            sql.append(" AND status = :status");
            params.addValue("status", filter.status());
        }
        if (filter.function() != null) {
            sql.append(" AND function_name = :function");
            params.addValue("function", filter.function());
        }
        if (filter.from() != null) {
            sql.append(" AND created_at >= :from");
            params.addValue("from", time(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" AND created_at < :to");
            params.addValue("to", time(filter.to()));
        }
        if (filter.error() != null) {
            sql.append(
                    filter.errorInMessages()
                            ? " AND (LOWER(error_message) LIKE :error ESCAPE '!' OR LOWER(error_type) LIKE :error ESCAPE '!')"
                            : " AND LOWER(error_type) LIKE :error ESCAPE '!'");
            params.addValue("error", "%" + escapeLike(filter.error()) + "%");
        }
        if (filter.id() != null) {
            sql.append(" AND id LIKE :id ESCAPE '!'");
            params.addValue("id", escapeLike(filter.id()) + "%");
        }
        RunFilter.Position before = filter.before();
        if (before != null) {
            sql.append(" AND (created_at < :beforeTime OR (created_at = :beforeTime AND id < :beforeId))");
            params.addValue("beforeTime", time(before.createdAt())).addValue("beforeId", before.id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
        List<RunRow> runs = this.named.query(
                sql.toString(),
                params,
                (rs, n) -> new RunRow(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getInt(4),
                        instant(rs, 5),
                        nullableInstant(rs, 6),
                        rs.getString(7),
                        rs.getString(8),
                        Progress.NONE));
        Map<String, Progress> progress =
                treeProgress(runs.stream().map(RunRow::id).toList());
        return runs.stream()
                .map(run -> run.withCalls(progress.getOrDefault(run.id(), Progress.NONE)))
                .toList();
    }

    /** The calls under each of these roots (their whole trees but the roots themselves) by status. */
    Map<String, Progress> treeProgress(List<String> rootIds) {
        if (rootIds.isEmpty()) {
            return Map.of();
        }
        Map<String, Map<String, Long>> counts = new HashMap<>();
        this.named.query(
                "SELECT root_id, status, COUNT(*) FROM dispatch_invocation WHERE root_id IN (:roots) AND id <> root_id"
                        + " GROUP BY root_id, status",
                new MapSqlParameterSource("roots", rootIds),
                rs -> {
                    counts.computeIfAbsent(rs.getString(1), root -> new HashMap<>())
                            .put(rs.getString(2), rs.getLong(3));
                });
        Map<String, Progress> progress = new HashMap<>();
        counts.forEach((root, byStatus) -> progress.put(root, Progress.of(byStatus)));
        return progress;
    }

    /** Calls that succeeded and failed in each minute of the hour before {@code now}, oldest first, 60 minutes. */
    List<MinuteCount> perMinute(Instant now) {
        Instant end = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        Instant start = end.minus(Duration.ofHours(1));
        Map<Instant, long[]> counts = new LinkedHashMap<>();
        for (Instant minute = start; minute.isBefore(end); minute = minute.plus(Duration.ofMinutes(1))) {
            counts.put(minute, new long[2]);
        }
        String minuteOf = this.database.minuteOf("completed_at");
        this.named.query(
                "SELECT " + minuteOf + ", status, COUNT(*) FROM dispatch_invocation"
                        + " WHERE completed_at >= :start AND status IN ('SUCCEEDED', 'FAILED')"
                        + " GROUP BY " + minuteOf + ", status",
                new MapSqlParameterSource("start", time(start)),
                rs -> {
                    long[] minute = counts.get(instant(rs, 1).truncatedTo(ChronoUnit.MINUTES));
                    if (minute != null) {
                        minute["SUCCEEDED".equals(rs.getString(2)) ? 0 : 1] += rs.getLong(3);
                    }
                });
        List<MinuteCount> minutes = new ArrayList<>();
        counts.forEach((minute, n) -> minutes.add(new MinuteCount(minute, n[0], n[1])));
        return minutes;
    }

    /** Failed calls by function and error type, most failures first, each with its latest failure. */
    List<FailureGroup> failures(@Nullable Instant since, int limit) {
        MapSqlParameterSource params = new MapSqlParameterSource("since", time((since != null) ? since : Instant.EPOCH))
                .addValue("limit", limit);
        String failed = "status = 'FAILED' AND completed_at >= :since";
        return this.named.query(
                "SELECT g.function_name, g.error_type, g.failures, g.latest_at, l.id, SUBSTRING(l.error_message FROM 1 FOR "
                        + MESSAGE_LENGTH + ") FROM (SELECT function_name, error_type, COUNT(*) AS failures,"
                        + " MAX(completed_at) AS latest_at FROM dispatch_invocation WHERE " + failed
                        + " GROUP BY function_name, error_type) g"
                        + " JOIN dispatch_invocation l ON l.id = (SELECT MAX(x.id) FROM dispatch_invocation x"
                        + " WHERE x.status = 'FAILED' AND x.function_name = g.function_name"
                        + " AND x.completed_at = g.latest_at"
                        + " AND (x.error_type = g.error_type OR (x.error_type IS NULL AND g.error_type IS NULL)))"
                        + " ORDER BY g.failures DESC, g.latest_at DESC LIMIT :limit",
                params,
                (rs, n) -> new FailureGroup(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getLong(3),
                        instant(rs, 4),
                        rs.getString(5),
                        rs.getString(6)));
    }

    /**
     * Calls of a step from a position on, in position order; positions are dense from 0, so any page of a large step
     * is one range read of the group index.
     *
     * @param status only calls in this status
     */
    List<CallRow> calls(String groupId, int fromPosition, @Nullable String status, int limit) {
        MapSqlParameterSource params = new MapSqlParameterSource("group", groupId)
                .addValue("from", fromPosition)
                .addValue("limit", limit);
        String byStatus = "";
        if (status != null) {
            byStatus = " AND i.status = :status";
            params.addValue("status", status);
        }
        return this.named.query(
                "SELECT i.id, i.function_name, i.status, i.attempts, i.group_position, i.created_at, i.completed_at,"
                        + " i.error_type, SUBSTRING(i.error_message FROM 1 FOR " + MESSAGE_LENGTH + "),"
                        + " CASE WHEN EXISTS (SELECT 1 FROM dispatch_call_group g WHERE g.parent_id = i.id) THEN 1"
                        + " ELSE 0 END FROM dispatch_invocation i WHERE i.group_id = :group"
                        + " AND i.group_position >= :from" + byStatus
                        + " ORDER BY i.group_position LIMIT :limit",
                params,
                (rs, n) -> new CallRow(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getInt(4),
                        rs.getInt(5),
                        instant(rs, 6),
                        nullableInstant(rs, 7),
                        rs.getString(8),
                        rs.getString(9),
                        rs.getInt(10) == 1));
    }

    /** How many invocations a bulk action would apply to. */
    long countBulk(BulkFilter filter) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        Long count = this.named.queryForObject(
                "SELECT COUNT(*) FROM dispatch_invocation WHERE " + bulkCondition(filter, params), params, Long.class);
        return (count != null) ? count : 0;
    }

    /** The next ids a bulk action applies to, in id order after {@code afterId}. */
    List<String> selectBulk(BulkFilter filter, @Nullable String afterId, int limit) {
        MapSqlParameterSource params = new MapSqlParameterSource("limit", limit);
        String condition = bulkCondition(filter, params);
        if (afterId != null) {
            condition += " AND id > :after";
            params.addValue("after", afterId);
        }
        return this.named.queryForList(
                "SELECT id FROM dispatch_invocation WHERE " + condition + " ORDER BY id LIMIT :limit",
                params,
                String.class);
    }

    private static String bulkCondition(BulkFilter filter, MapSqlParameterSource params) {
        StringBuilder condition = new StringBuilder(filter.retry() ? "status = 'FAILED'" : "status IN " + UNFINISHED);
        if (filter.function() != null) {
            condition.append(" AND function_name = :function");
            params.addValue("function", filter.function());
        }
        if (filter.retry() && filter.errorType() != null) {
            condition.append(" AND error_type = :errorType");
            params.addValue("errorType", filter.errorType());
        }
        if (filter.since() != null) {
            condition.append(filter.retry() ? " AND completed_at >= :since" : " AND created_at >= :since");
            params.addValue("since", time(filter.since()));
        }
        return condition.toString();
    }

    /** '!' as LIKE's escape: a backslash is an escape of MySQL's string literals too. */
    private static String escapeLike(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private static @Nullable Object time(Instant instant) {
        return StoreTimes.bind(instant);
    }

    private static Instant instant(ResultSet rs, int index) throws SQLException {
        Instant instant = nullableInstant(rs, index);
        return (instant != null) ? instant : Instant.EPOCH;
    }

    private static @Nullable Instant nullableInstant(ResultSet rs, int index) throws SQLException {
        return StoreTimes.read(rs, index);
    }
}
