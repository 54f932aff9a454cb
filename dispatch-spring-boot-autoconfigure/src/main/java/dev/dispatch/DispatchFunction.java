package dev.dispatch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method of a Spring bean as a durable function: every call of it through the bean's proxy
 * becomes a recorded invocation that survives crashes and is retried on its own when it fails.
 *
 * <p>Attributes left unset fall back to the {@code dispatch.*} properties. Durations are written like
 * Spring Boot properties: {@code "500ms"}, {@code "2s"}, {@code "1m"}.
 *
 * <p>Code between durable calls runs again each time the function resumes: a side effect that must happen
 * once (an email, a payment) belongs in a {@code @DispatchFunction} of its own.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DispatchFunction {

    /**
     * Stable name of the function, recorded with each invocation. Defaults to {@code <beanName>.<methodName>}.
     * Keep it stable across releases: recorded invocations are matched to code by this name.
     */
    String name() default "";

    /** Maximum number of attempts, the first included. {@code 0} (unset) uses {@code dispatch.retry.max-attempts}. */
    int maxAttempts() default 0;

    /** Backoff before the first retry, e.g. {@code "200ms"}. Empty uses {@code dispatch.retry.initial-backoff}. */
    String initialBackoff() default "";

    /** Upper bound of the backoff between attempts. Empty uses {@code dispatch.retry.max-backoff}. */
    String maxBackoff() default "";

    /** Factor applied to the backoff after each attempt. {@code 0} (unset) uses {@code dispatch.retry.multiplier}. */
    double backoffMultiplier() default 0;

    /**
     * Time limit of one attempt; an attempt past it is interrupted and counted as {@link Status#TIMEOUT}.
     * Empty uses {@code dispatch.timeout}.
     */
    String timeout() default "";

    /**
     * Deadline of a root invocation of this function and everything it calls, from when it is recorded, e.g.
     * {@code "10m"}: past it the root and its unfinished descendants end, the root FAILED with status
     * {@link Status#TIMEOUT} ({@link DeadlineExceededException}). A deadline in {@link DispatchOptions} takes precedence;
     * calls made inside a durable function inherit their caller's deadline instead. Empty for none.
     */
    String deadline() default "";

    /**
     * Most invocations of this function that run at once, across all nodes sharing the database (on H2, in this
     * process). Calls beyond it wait, pending, until a running one ends; such calls never run inline on their caller's
     * thread. {@code 0} (unset) uses {@code dispatch.concurrency}, whose default 0 means no limit. Throttled attempts
     * lower the limit a node applies to itself, and successes raise it again up to this value.
     */
    int concurrency() default 0;

    /**
     * Among due calls, those of higher priority start first (a claim takes them before lower ones on every node); {@code
     * 0} by default, negative for background work. {@link DispatchOptions#priority(int)} sets it for one dispatch.
     */
    int priority() default 0;

    /**
     * Most attempts of this function that start per period, across all nodes sharing the database: {@code "100/1s"},
     * {@code "20/1m"}, {@code "1000/1h"} ({@code N/Ps}, {@code N/Pm}, {@code N/Ph}; {@code "100/s"} for one unit). A
     * token bucket in the database holds up to N tokens; calls beyond the rate stay pending, without using an attempt,
     * until tokens are due. Such calls never run inline. Empty (the default) for none; bad text fails the startup.
     */
    String rateLimit() default "";

    /**
     * A SpEL expression over the arguments ({@code #p0}, {@code #a0} or the parameter's name, e.g.
     * {@code "#p0.domain"}) whose value names what the calls contend for: at most {@link #concurrencyPerKey()} attempts
     * with the same value run at once, across all nodes sharing the database (on H2, in this process);
     * {@link #concurrency()} still caps the function as a whole. The key is evaluated when the call is recorded, and
     * kept with it. A key that evaluates to {@code null} limits nothing: such calls are capped by {@link #concurrency()}
     * alone. Calls of a keyed function never run inline. Empty (the default) for none; an expression that does not
     * parse, or a key on a method without parameters, fails the startup.
     */
    String concurrencyKey() default "";

    /** Most attempts that run at once per value of {@link #concurrencyKey()}; at least 1 when a key is set. */
    int concurrencyPerKey() default 0;

    /** Exception types that are retried even when their classification says otherwise. */
    Class<? extends Throwable>[] retryOn() default {};

    /** Exception types that end the invocation at once, without retry. */
    Class<? extends Throwable>[] noRetryOn() default {};
}
