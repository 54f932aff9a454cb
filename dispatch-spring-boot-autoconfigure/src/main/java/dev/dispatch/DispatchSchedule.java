package dev.dispatch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@link DispatchFunction} method with no parameters on a cron schedule, durably: each tick starts at most one
 * root invocation across all nodes sharing the database, and exactly one once some node runs (keyed by the function
 * and the tick's time). Ticks follow the engine's clock, so {@code DispatchTester.advanceClock} makes them due.
 *
 * <pre>{@code
 * @DispatchSchedule(cron = "0 0 2 * * *", zone = "Europe/Paris")   // each night at 2
 * @DispatchFunction
 * public InvoiceRun nightlyInvoices() { ... }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DispatchSchedule {

    /** Spring's six-field cron expression ({@code CronExpression}); {@code ${...}} placeholders are resolved. */
    String cron();

    /** The time zone the expression is read in; default the JVM's. {@code ${...}} placeholders are resolved. */
    String zone() default "";

    /** Whether a tick starts a run while the previous run is unfinished; default {@link Overlap#SKIP}. */
    Overlap overlap() default Overlap.SKIP;

    /** Which of the ticks missed while no node ran start a run; default {@link CatchUp#LATEST}. */
    CatchUp catchUp() default CatchUp.LATEST;
}
