package dev.dispatch.store;

import static dev.dispatch.store.InvocationStore.time;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/** The schedules' rows ({@code dispatch_schedule}): where each schedule is, shared by every node. */
public class ScheduleStore {

    private static final String COLUMNS =
            "SELECT name, cron, zone, next_tick, last_tick, last_run_id, paused, version FROM dispatch_schedule";

    private final JdbcTemplate jdbc;

    public ScheduleStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A schedule's row as recorded.
     *
     * @param name the function
     * @param cron its expression when the row was written
     * @param zone its zone when the row was written
     * @param nextTick the first tick not handled yet
     * @param lastTick the last tick that started a run (or passed, skipped)
     * @param lastRunId the root the last run started
     * @param paused whether an operator paused it
     * @param version the row's version, for updates that must not race
     */
    public record Row(
            String name,
            String cron,
            String zone,
            Instant nextTick,
            @Nullable Instant lastTick,
            @Nullable String lastRunId,
            boolean paused,
            long version) {}

    public Optional<Row> find(String name) {
        return this.jdbc.query(COLUMNS + " WHERE name = ?", (rs, n) -> row(rs), name).stream()
                .findFirst();
    }

    public List<Row> findAll() {
        return this.jdbc.query(COLUMNS + " ORDER BY name", (rs, n) -> row(rs));
    }

    /** Writes the row of a schedule seen for the first time; false if another node wrote it first. */
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

    /** A changed expression or zone: the schedule goes on from its next tick under the new one. */
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

    /**
     * Moves a schedule past the ticks it handled, if no other node did first (the row's version decides).
     *
     * @return whether this node moved it: then, and only then, it starts the runs of those ticks
     */
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

    /** Pauses or resumes a schedule; a resumed one goes on from {@code nextTick}. */
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

    /** Records a run started by hand as the schedule's last. */
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
                InvocationStore.readTime(rs, rs.findColumn("next_tick")),
                InvocationStore.readNullableTime(rs, rs.findColumn("last_tick")),
                rs.getString("last_run_id"),
                rs.getBoolean("paused"),
                rs.getLong("version"));
    }
}
