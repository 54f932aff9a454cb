package dev.dispatch.engine;

import dev.dispatch.CatchUp;
import dev.dispatch.DispatchId;
import dev.dispatch.Overlap;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One schedule as operators see it.
 *
 * @param function the scheduled function
 * @param cron its expression
 * @param zone its zone
 * @param overlap what a tick does while the previous run is unfinished
 * @param catchUp which missed ticks start a run
 * @param paused whether it is paused
 * @param nextTick its next tick
 * @param lastTick its last tick handled
 * @param lastRun the root its last run started
 * @param lastRunStatus that run's status
 */
public record ScheduleInfo(
        String function,
        String cron,
        String zone,
        Overlap overlap,
        CatchUp catchUp,
        boolean paused,
        @Nullable Instant nextTick,
        @Nullable Instant lastTick,
        @Nullable DispatchId lastRun,
        @Nullable String lastRunStatus) {}
