package dev.dispatch.actuate;

import dev.dispatch.DispatchId;
import dev.dispatch.engine.ScheduleInfo;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One schedule, as {@code GET /actuator/dispatch/schedules} shows it.
 *
 * @param function the scheduled function
 * @param cron its expression, placeholders resolved
 * @param zone its zone
 * @param overlap {@code SKIP} or {@code ALLOW}
 * @param catchUp {@code LATEST}, {@code NONE} or {@code ALL}
 * @param paused whether an operator paused it
 * @param nextTick its next tick
 * @param lastTick the last tick handled
 * @param lastRunId the root its last run started
 * @param lastRunStatus that run's status
 */
public record ScheduleView(
        String function,
        String cron,
        String zone,
        String overlap,
        String catchUp,
        boolean paused,
        @Nullable Instant nextTick,
        @Nullable Instant lastTick,
        @Nullable String lastRunId,
        @Nullable String lastRunStatus) {

    static ScheduleView of(ScheduleInfo info) {
        DispatchId lastRun = info.lastRun();
        return new ScheduleView(
                info.function(),
                info.cron(),
                info.zone(),
                info.overlap().name(),
                info.catchUp().name(),
                info.paused(),
                info.nextTick(),
                info.lastTick(),
                (lastRun != null) ? lastRun.value() : null,
                info.lastRunStatus());
    }
}
