package dev.dispatch.actuate;

import dev.dispatch.Status;
import dev.dispatch.engine.AttemptOutcome;
import dev.dispatch.engine.EngineListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counts calls, retries and final failures by function. */
public class DispatchMeterListener implements EngineListener {

    private final MeterRegistry registry;

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

    private Counter counter(String name, String description, String function) {
        return Counter.builder(name)
                .description(description)
                .tag(DispatchMeters.FUNCTION, function)
                .register(this.registry);
    }
}
