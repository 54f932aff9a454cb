package dev.dispatch.store;

import static dev.dispatch.store.JdbcInvocationStore.time;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/** The schedules' rows ({@code dispatch_schedule}): where each schedule is, shared by every node. */
final class JdbcScheduleStore implements ScheduleStore {

    private static final String COLUMNS =
            "SELECT name, cron, zone, next_tick, last_tick, last_run_id, paused, version FROM dispatch_schedule";

    private final JdbcTemplate jdbc;

    JdbcScheduleStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Row> find(String name) {
        return this.jdbc.query(COLUMNS + " WHERE name = ?", (rs, n) -> row(rs), name).stream()
                .findFirst();
    }

    @Override
    public List<Row> findAll() {
        return this.jdbc.query(COLUMNS + " ORDER BY name", (rs, n) -> row(rs));
    }

    @Override
    public boolean insert(String name, String cron, String zone, Instant nextTick, Instant now) {
        try {
            return this.jdbc.update(
                            "INSERT INTO dispatch_schedule (name, cron, zone, next_tick, paused, updated_at, version)"
                                    + " VALUES (?, ?, ?, ?, ?, ?, 0)",
                            name,
                            cron,
                            zone,
                            time(nextTick),
                            false,
                            time(now))
                    == 1;
        } catch (DuplicateKeyException ex) {
            return false;
        }
    }

    @Override
    public boolean redefine(Row row, String cron, String zone, Instant nextTick, Instant now) {
        return this.jdbc.update(
                        "UPDATE dispatch_schedule SET cron = ?, zone = ?, next_tick = ?, updated_at = ?,"
                                + " version = version + 1 WHERE name = ? AND version = ?",
                        cron,
                        zone,
                        time(nextTick),
                        time(now),
                        row.name(),
                        row.version())
                == 1;
    }

    @Override
    public boolean advance(
            Row row, Instant nextTick, @Nullable Instant lastTick, @Nullable String lastRunId, Instant now) {
        return this.jdbc.update(
                        "UPDATE dispatch_schedule SET next_tick = ?, last_tick = COALESCE(?, last_tick),"
                                + " last_run_id = COALESCE(?, last_run_id), updated_at = ?, version = version + 1"
                                + " WHERE name = ? AND version = ?",
                        time(nextTick),
                        time(lastTick),
                        lastRunId,
                        time(now),
                        row.name(),
                        row.version())
                == 1;
    }

    @Override
    public boolean pause(String name, boolean paused, @Nullable Instant nextTick, Instant now) {
        return this.jdbc.update(
                        "UPDATE dispatch_schedule SET paused = ?, next_tick = COALESCE(?, next_tick), updated_at = ?,"
                                + " version = version + 1 WHERE name = ?",
                        paused,
                        time(nextTick),
                        time(now),
                        name)
                == 1;
    }

    @Override
    public void ranNow(String name, String runId, Instant now) {
        this.jdbc.update(
                "UPDATE dispatch_schedule SET last_run_id = ?, updated_at = ?, version = version + 1 WHERE name = ?",
                runId,
                time(now),
                name);
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(
                rs.getString("name"),
                rs.getString("cron"),
                rs.getString("zone"),
                JdbcInvocationStore.readTime(rs, rs.findColumn("next_tick")),
                JdbcInvocationStore.readNullableTime(rs, rs.findColumn("last_tick")),
                rs.getString("last_run_id"),
                rs.getBoolean("paused"),
                rs.getLong("version"));
    }
}
