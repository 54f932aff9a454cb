package dev.dispatch.actuate;

import dev.dispatch.Status;
import dev.dispatch.engine.AttemptOutcome;
import dev.dispatch.engine.EngineListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** Counts calls, retries and final failures by function, and gauges each function's concurrency limit. */
public class DispatchMeterListener implements EngineListener {

    private final MeterRegistry registry;

    private final Map<String, AtomicReference<Double>> limits = new ConcurrentHashMap<>();

    public DispatchMeterListener(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void dispatched(String function, int calls) {
        counter(DispatchMeters.CALLS, "Calls recorded", function).increment(calls);
    }

    @Override
    public void attemptEnded(String function, AttemptOutcome outcome, Status status) {
        if (outcome == AttemptOutcome.RETRY) {
            counter(DispatchMeters.RETRIES, "Failed attempts that are retried", function)
                    .increment();
        } else if (outcome == AttemptOutcome.FAILURE) {
            counter(DispatchMeters.FAILURES, "Invocations that failed for good", function)
                    .increment();
        }
    }

    @Override
    public void concurrencyLimitChanged(String function, double limit) {
        this.limits
                .computeIfAbsent(function, name -> {
                    AtomicReference<Double> value = new AtomicReference<>(limit);
                    Gauge.builder(DispatchMeters.CONCURRENCY_LIMIT, value, AtomicReference::get)
                            .description("Concurrency limit this node applies to the function now")
                            .tag(DispatchMeters.FUNCTION, name)
                            .register(this.registry);
                    return value;
                })
                .set(limit);
    }

    private Counter counter(String name, String description, String function) {
        return Counter.builder(name)
                .description(description)
                .tag(DispatchMeters.FUNCTION, function)
                .register(this.registry);
    }
}
