package dev.dispatch.engine;

import dev.dispatch.Status;
import dev.dispatch.aop.ConcurrencyKey;
import dev.dispatch.aop.FunctionDefinition;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.aop.RateLimit;
import dev.dispatch.store.FunctionLimit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * How many invocations of each function may run at once. A function's configured limit
 * ({@code @DispatchFunction(concurrency = n)}) holds across all nodes; on top of it each node keeps an adaptive limit
 * (AIMD, like TCP's congestion window): an attempt that ends {@link Status#THROTTLED} halves it (never below 1), each
 * success adds {@code 1/limit} (about one per limit's worth of successes) up to the configured limit. A function without
 * a configured limit gets an adaptive one, from the number of workers, the first time it is throttled, and loses it
 * when successes have raised it back to the number of workers.
 */
public final class ConcurrencyLimits implements EngineListener {

    private static final Log logger = LogFactory.getLog(ConcurrencyLimits.class);

    /** Factor applied to the adaptive limit when an attempt is throttled. */
    static final double DECREASE = 0.5;

    private final FunctionRegistry registry;

    private final int workers;

    private final boolean adaptive;

    private final EngineListener listener;

    /** The adaptive limit of each function that has one below its ceiling; absent: at its ceiling. */
    private final ConcurrentMap<String, Double> adaptiveLimits = new ConcurrentHashMap<>();

    private volatile @Nullable Map<String, Integer> configured;

    private volatile @Nullable Map<String, RateLimit> rates;

    private volatile @Nullable Map<String, ConcurrencyKey> keys;

    ConcurrencyLimits(FunctionRegistry registry, int workers, boolean adaptive, EngineListener listener) {
        this.registry = registry;
        this.workers = workers;
        this.adaptive = adaptive;
        this.listener = listener;
    }

    /** The configured limit of a function across all nodes, {@code 0} for none. */
    public int configured(String function) {
        return configured().getOrDefault(function, 0);
    }

    /**
     * The limit this node applies to a function now: its adaptive limit, or its configured limit, or (neither) the
     * number of workers.
     */
    public double current(String function) {
        Double limit = this.adaptiveLimits.get(function);
        return (limit != null) ? limit : ceiling(function);
    }

    /** Each function that has a configured or an adaptive limit, by name, with the limit this node applies now. */
    public Map<String, Double> limited() {
        Map<String, Double> limited = new TreeMap<>();
        configured().keySet().forEach(function -> limited.put(function, current(function)));
        this.adaptiveLimits.forEach(limited::put);
        return limited;
    }

    /** Whether the function has a configured or an adaptive limit now, a rate limit or a concurrency key. */
    public boolean isLimited(String function) {
        return configured(function) > 0
                || this.adaptiveLimits.containsKey(function)
                || rates().containsKey(function)
                || keys().containsKey(function);
    }

    /** The limits claims apply now, rate limits included; empty when no function has one (the claims of before). */
    Map<String, FunctionLimit> forClaims() {
        Map<String, Integer> configured = configured();
        Map<String, RateLimit> rates = rates();
        Map<String, ConcurrencyKey> keys = keys();
        if (configured.isEmpty() && this.adaptiveLimits.isEmpty() && rates.isEmpty() && keys.isEmpty()) {
            return Map.of();
        }
        Map<String, FunctionLimit> limits = new LinkedHashMap<>();
        configured.forEach((function, limit) -> limits.put(function, new FunctionLimit(limit, 0)));
        this.adaptiveLimits.forEach((function, limit) ->
                limits.put(function, new FunctionLimit(configured.getOrDefault(function, 0), (int) Math.floor(limit))));
        rates.forEach((function, rate) -> {
            FunctionLimit limit = limits.getOrDefault(function, new FunctionLimit(0, 0));
            limits.put(
                    function,
                    new FunctionLimit(
                            limit.cluster(),
                            limit.node(),
                            rate.permits(),
                            rate.period().toMillis()));
        });
        keys.forEach((function, key) -> {
            FunctionLimit limit = limits.getOrDefault(function, new FunctionLimit(0, 0));
            limits.put(
                    function,
                    new FunctionLimit(
                            limit.cluster(),
                            limit.node(),
                            limit.ratePermits(),
                            limit.ratePeriodMillis(),
                            key.perKey()));
        });
        return limits;
    }

    /** The rate limit of each function that has one. */
    public Map<String, RateLimit> rates() {
        Map<String, RateLimit> rates = this.rates;
        if (rates == null) {
            if (!this.registry.isInitialized()) {
                return Map.of();
            }
            Map<String, RateLimit> found = new TreeMap<>();
            for (FunctionDefinition function : this.registry.functions()) {
                if (function.rateLimit() != null) {
                    found.put(function.name(), function.rateLimit());
                }
            }
            rates = Collections.unmodifiableMap(found);
            this.rates = rates;
        }
        return rates;
    }

    /** The concurrency key of each function that has one. */
    public Map<String, ConcurrencyKey> keys() {
        Map<String, ConcurrencyKey> keys = this.keys;
        if (keys == null) {
            if (!this.registry.isInitialized()) {
                return Map.of();
            }
            Map<String, ConcurrencyKey> found = new TreeMap<>();
            for (FunctionDefinition function : this.registry.functions()) {
                ConcurrencyKey key = function.concurrencyKey();
                if (key != null) {
                    found.put(function.name(), key);
                }
            }
            keys = Collections.unmodifiableMap(found);
            this.keys = keys;
        }
        return keys;
    }

    @Override
    public void attemptEnded(String function, AttemptOutcome outcome, Status status) {
        if (!this.adaptive) {
            return;
        }
        if (status == Status.THROTTLED) {
            Double lowered = this.adaptiveLimits.compute(
                    function, (name, limit) -> Math.max(1, ((limit != null) ? limit : ceiling(name)) * DECREASE));
            logger.debug(function + " was throttled; its concurrency limit on this node is now " + lowered);
            this.listener.concurrencyLimitChanged(function, lowered);
        } else if (outcome == AttemptOutcome.SUCCESS && this.adaptiveLimits.containsKey(function)) {
            Double raised = this.adaptiveLimits.computeIfPresent(function, (name, limit) -> {
                double next = limit + 1 / limit;
                return (next >= ceiling(name)) ? null : next;
            });
            this.listener.concurrencyLimitChanged(function, (raised != null) ? raised : ceiling(function));
        }
    }

    private double ceiling(String function) {
        int configured = configured(function);
        return (configured > 0) ? configured : this.workers;
    }

    private Map<String, Integer> configured() {
        Map<String, Integer> configured = this.configured;
        if (configured == null) {
            if (!this.registry.isInitialized()) {
                return Map.of();
            }
            Map<String, Integer> limits = new TreeMap<>();
            for (FunctionDefinition function : this.registry.functions()) {
                if (function.isLimited()) {
                    limits.put(function.name(), function.concurrency());
                    this.listener.concurrencyLimitChanged(function.name(), function.concurrency());
                }
            }
            configured = Collections.unmodifiableMap(limits);
            this.configured = configured;
        }
        return configured;
    }

    /** A listener that tells this one of every attempt's end, then {@code downstream}. */
    EngineListener observing(EngineListener downstream) {
        ConcurrencyLimits limits = this;
        return new EngineListener() {
            @Override
            public void dispatched(String function, int calls) {
                downstream.dispatched(function, calls);
            }

            @Override
            public void attemptStarting(String function, String invocationId, int attempt) {
                downstream.attemptStarting(function, invocationId, attempt);
            }

            @Override
            public void attemptEnded(String function, AttemptOutcome outcome, Status status) {
                limits.attemptEnded(function, outcome, status);
                downstream.attemptEnded(function, outcome, status);
            }

            @Override
            public void concurrencyLimitChanged(String function, double limit) {
                downstream.concurrencyLimitChanged(function, limit);
            }
        };
    }
}
