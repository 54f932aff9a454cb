package dev.dispatch.actuate;

import dev.dispatch.engine.ConcurrencyLimits;
import dev.dispatch.store.InvocationQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each function's flow control as it stands: concurrency limits (configured and as adapted), rate limits with the
 * tokens their buckets hold now, and concurrency keys with the calls running and waiting per value. Read for
 * {@code GET /actuator/dispatch} and for the console's limits page, the same way.
 */
public final class FlowControl {

    /** Key values shown per keyed function: the busiest. */
    public static final int KEYS_SHOWN = 50;

    private final ConcurrencyLimits limits;

    private final InvocationQueries queries;

    public FlowControl(ConcurrencyLimits limits, InvocationQueries queries) {
        this.limits = limits;
        this.queries = queries;
    }

    /**
     * The flow control of every function that has some.
     *
     * @param concurrency the functions with a concurrency limit (configured, or adaptive after throttling), by name
     * @param rateLimits the functions with a rate limit, by name
     * @param concurrencyKeys the functions with a concurrency key, by name
     */
    public record Limits(
            Map<String, DispatchSummary.Concurrency> concurrency,
            Map<String, DispatchSummary.Rate> rateLimits,
            Map<String, DispatchSummary.Keyed> concurrencyKeys) {}

    /** Reads the limits, given the invocations counted by function and status. */
    public Limits read(Map<String, Map<String, Long>> byFunction, Instant now) {
        Map<String, DispatchSummary.Concurrency> concurrency = new TreeMap<>();
        this.limits
                .limited()
                .forEach((name, current) -> concurrency.put(
                        name,
                        new DispatchSummary.Concurrency(
                                this.limits.configured(name), current, count(byFunction, name, "RUNNING"))));
        Map<String, DispatchSummary.Rate> rates = new TreeMap<>();
        Map<String, InvocationQueries.Bucket> buckets =
                this.limits.rates().isEmpty() ? Map.of() : this.queries.rateBuckets();
        this.limits.rates().forEach((name, rate) -> {
            InvocationQueries.Bucket bucket = buckets.get(name);
            double tokens = rate.permits();
            if (bucket != null) {
                long elapsed =
                        Math.max(0, Duration.between(bucket.updatedAt(), now).toMillis());
                tokens = Math.min(
                        rate.permits(),
                        bucket.tokens()
                                + (double) elapsed
                                        * rate.permits()
                                        / rate.period().toMillis());
            }
            rates.put(
                    name,
                    new DispatchSummary.Rate(
                            rate.toString(), (long) Math.floor(tokens), count(byFunction, name, "PENDING")));
        });
        Map<String, DispatchSummary.Keyed> keyed = new TreeMap<>();
        Map<String, Map<String, InvocationQueries.KeyCount>> byKey =
                this.limits.keys().isEmpty()
                        ? Map.of()
                        : this.queries.countByKey(this.limits.keys().keySet(), KEYS_SHOWN);
        this.limits
                .keys()
                .forEach((name, key) -> keyed.put(
                        name,
                        new DispatchSummary.Keyed(key.expression(), key.perKey(), byKey.getOrDefault(name, Map.of()))));
        return new Limits(concurrency, rates, keyed);
    }

    private static long count(Map<String, Map<String, Long>> byFunction, String function, String status) {
        return byFunction.getOrDefault(function, Map.of()).getOrDefault(status, 0L);
    }
}
