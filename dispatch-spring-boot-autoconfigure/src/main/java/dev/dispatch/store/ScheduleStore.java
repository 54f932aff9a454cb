package dev.dispatch.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The rows of cron schedules: one per scheduled function, advanced once per tick across all nodes. {@link JdbcStores#scheduleStore} builds the JDBC implementation. */
public interface ScheduleStore {

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
    record Row(
            String name,
            String cron,
            String zone,
            Instant nextTick,
            @Nullable Instant lastTick,
            @Nullable String lastRunId,
            boolean paused,
            long version) {}

    Optional<Row> find(String name);

    List<Row> findAll();

    /** Writes the row of a schedule seen for the first time; false if another node wrote it first. */
    boolean insert(String name, String cron, String zone, Instant nextTick, Instant now);

    /** A changed expression or zone: the schedule goes on from its next tick under the new one. */
    boolean redefine(Row row, String cron, String zone, Instant nextTick, Instant now);

    /**
     * Moves a schedule past the ticks it handled, if no other node did first (the row's version decides).
     *
     * @return whether this node moved it: then, and only then, it starts the runs of those ticks
     */
    boolean advance(Row row, Instant nextTick, @Nullable Instant lastTick, @Nullable String lastRunId, Instant now);

    /** Pauses or resumes a schedule; a resumed one goes on from {@code nextTick}. */
    boolean pause(String name, boolean paused, @Nullable Instant nextTick, Instant now);

    /** Records a run started by hand as the schedule's last. */
    void ranNow(String name, String runId, Instant now);
}
