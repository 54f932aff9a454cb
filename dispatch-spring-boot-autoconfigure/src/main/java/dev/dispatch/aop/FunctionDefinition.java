package dev.dispatch.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A registered durable function: its stable name, the bean method behind it and its resolved policy.
 *
 * @param name the stable name recorded with each invocation
 * @param beanName the bean that declares it
 * @param method the method, as declared on the bean's class
 * @param parameterTypes generic parameter types, used to read recorded arguments back
 * @param returnType generic return type, used to read recorded results back
 * @param maxAttempts attempts allowed, the first included
 * @param initialBackoff backoff before the first retry
 * @param maxBackoff upper bound of the backoff
 * @param backoffMultiplier growth of the backoff per attempt
 * @param timeout time limit of one attempt, or {@code null} for none
 * @param retryOn exception types always retried
 * @param noRetryOn exception types never retried
 * @param deadline deadline of a root invocation's tree from when it is recorded, or {@code null} for none
 * @param concurrency most invocations running at once across the nodes, {@code 0} for no limit
 * @param priority higher runs first among due calls
 * @param rateLimit most attempts started per period across the nodes, or {@code null} for none
 * @param concurrencyKey the key that limits how many calls run at once per value, or {@code null} for none
 */
public record FunctionDefinition(
        String name,
        String beanName,
        Method method,
        Type[] parameterTypes,
        Type returnType,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        double backoffMultiplier,
        @Nullable Duration timeout,
        List<Class<? extends Throwable>> retryOn,
        List<Class<? extends Throwable>> noRetryOn,
        @Nullable Duration deadline,
        int concurrency,
        int priority,
        @Nullable RateLimit rateLimit,
        @Nullable ConcurrencyKey concurrencyKey) {

    /** A function without a concurrency key. */
    public FunctionDefinition(
            String name,
            String beanName,
            Method method,
            Type[] parameterTypes,
            Type returnType,
            int maxAttempts,
            Duration initialBackoff,
            Duration maxBackoff,
            double backoffMultiplier,
            @Nullable Duration timeout,
            List<Class<? extends Throwable>> retryOn,
            List<Class<? extends Throwable>> noRetryOn,
            @Nullable Duration deadline,
            int concurrency,
            int priority,
            @Nullable RateLimit rateLimit) {
        this(
                name,
                beanName,
                method,
                parameterTypes,
                returnType,
                maxAttempts,
                initialBackoff,
                maxBackoff,
                backoffMultiplier,
                timeout,
                retryOn,
                noRetryOn,
                deadline,
                concurrency,
                priority,
                rateLimit,
                null);
    }

    /** A function without a rate limit. */
    public FunctionDefinition(
            String name,
            String beanName,
            Method method,
            Type[] parameterTypes,
            Type returnType,
            int maxAttempts,
            Duration initialBackoff,
            Duration maxBackoff,
            double backoffMultiplier,
            @Nullable Duration timeout,
            List<Class<? extends Throwable>> retryOn,
            List<Class<? extends Throwable>> noRetryOn,
            @Nullable Duration deadline,
            int concurrency,
            int priority) {
        this(
                name,
                beanName,
                method,
                parameterTypes,
                returnType,
                maxAttempts,
                initialBackoff,
                maxBackoff,
                backoffMultiplier,
                timeout,
                retryOn,
                noRetryOn,
                deadline,
                concurrency,
                priority,
                (RateLimit) null);
    }

    /** A function of priority 0. */
    public FunctionDefinition(
            String name,
            String beanName,
            Method method,
            Type[] parameterTypes,
            Type returnType,
            int maxAttempts,
            Duration initialBackoff,
            Duration maxBackoff,
            double backoffMultiplier,
            @Nullable Duration timeout,
            List<Class<? extends Throwable>> retryOn,
            List<Class<? extends Throwable>> noRetryOn,
            @Nullable Duration deadline,
            int concurrency) {
        this(
                name,
                beanName,
                method,
                parameterTypes,
                returnType,
                maxAttempts,
                initialBackoff,
                maxBackoff,
                backoffMultiplier,
                timeout,
                retryOn,
                noRetryOn,
                deadline,
                concurrency,
                0);
    }

    /** Whether at most {@link #concurrency()} invocations of it may run at once. */
    public boolean isLimited() {
        return this.concurrency > 0;
    }

    /**
     * Whether its calls always go through a claim, never inline on their caller's thread: it has a concurrency limit, a
     * concurrency key or a rate limit, which only a claim counts.
     */
    public boolean runsQueued() {
        return isLimited() || this.rateLimit != null || this.concurrencyKey != null;
    }

    /** Whether the method returns nothing. */
    public boolean isVoid() {
        return this.returnType == void.class || this.returnType == Void.class;
    }

    /** A readable form for messages: {@code name (Class.method)}. */
    public String describe() {
        return this.name + " (" + this.method.getDeclaringClass().getSimpleName() + "." + this.method.getName() + ")";
    }

    @Override
    public String toString() {
        return this.name;
    }
}
