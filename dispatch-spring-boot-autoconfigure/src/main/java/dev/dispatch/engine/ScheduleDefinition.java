package dev.dispatch.engine;

import dev.dispatch.CatchUp;
import dev.dispatch.DispatchSchedule;
import dev.dispatch.Overlap;
import dev.dispatch.aop.FunctionDefinition;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.scheduling.support.CronExpression;

/**
 * One {@link DispatchSchedule}, its placeholders resolved and checked.
 *
 * @param function the scheduled function
 * @param cronText the expression as resolved
 * @param cron the expression
 * @param zone the zone it is read in
 * @param overlap what a tick does while the previous run is unfinished
 * @param catchUp which missed ticks start a run
 */
record ScheduleDefinition(
        FunctionDefinition function,
        String cronText,
        CronExpression cron,
        ZoneId zone,
        Overlap overlap,
        CatchUp catchUp) {

    /** The schedule of this function, if it has one; a clear error naming the method if it is wrong. */
    static @Nullable ScheduleDefinition of(FunctionDefinition function, UnaryOperator<String> placeholders) {
        DispatchSchedule schedule =
                AnnotatedElementUtils.findMergedAnnotation(function.method(), DispatchSchedule.class);
        if (schedule == null) {
            return null;
        }
        String where = "@DispatchSchedule on " + function.method().toGenericString();
        if (function.method().getParameterCount() != 0) {
            throw new IllegalStateException(where + ": a scheduled function takes no parameters");
        }
        String text = resolve(placeholders, schedule.cron(), where + ": cron");
        CronExpression cron;
        try {
            cron = CronExpression.parse(text);
        } catch (IllegalArgumentException ex) {
            throw new IllegalStateException(
                    where + ": cron '" + text + "' is not a six-field cron expression (" + ex.getMessage()
                            + "), e.g. \"0 0 2 * * *\" for each night at 2",
                    ex);
        }
        String zoneText = resolve(placeholders, schedule.zone(), where + ": zone");
        ZoneId zone;
        try {
            zone = zoneText.isEmpty() ? ZoneId.systemDefault() : ZoneId.of(zoneText);
        } catch (DateTimeException ex) {
            throw new IllegalStateException(
                    where + ": zone '" + zoneText + "' is not a time zone id, e.g." + " \"Europe/Paris\" or \"UTC\"",
                    ex);
        }
        return new ScheduleDefinition(function, text, cron, zone, schedule.overlap(), schedule.catchUp());
    }

    /** The attribute with its placeholders resolved; one that cannot be resolved names the method. */
    private static String resolve(UnaryOperator<String> placeholders, String text, String what) {
        try {
            return placeholders.apply(text).trim();
        } catch (IllegalArgumentException ex) {
            throw new IllegalStateException(what + " '" + text + "' cannot be resolved: " + ex.getMessage(), ex);
        }
    }

    String name() {
        return this.function.name();
    }

    /** The first tick strictly after {@code time}, or {@code null} if the expression has none. */
    @Nullable
    Instant tickAfter(Instant time) {
        ZonedDateTime next = this.cron.next(ZonedDateTime.ofInstant(time, this.zone));
        return (next != null) ? next.toInstant() : null;
    }

    /** The first tick at or after {@code time}. */
    @Nullable
    Instant tickFrom(Instant time) {
        return tickAfter(time.minusNanos(1));
    }
}
