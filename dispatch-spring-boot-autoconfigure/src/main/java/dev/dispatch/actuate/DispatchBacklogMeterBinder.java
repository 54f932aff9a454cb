package dev.dispatch.actuate;

import dev.dispatch.engine.Scheduler;
import dev.dispatch.store.InvocationQueries;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Gauges of the backlog by status and of the workers in use. The backlog is counted in the database at most once per
 * {@link #REFRESH}, however often the gauges are read.
 */
public class DispatchBacklogMeterBinder implements MeterBinder {

    static final Duration REFRESH = Duration.ofSeconds(5);

    private static final List<String> STATUSES = List.of("PENDING", "RUNNING", "SUSPENDED");

    private final InvocationQueries queries;

    private final Scheduler scheduler;

    private volatile Map<String, Long> backlog = Map.of();

    private volatile long refreshedAt = System.nanoTime() - REFRESH.toNanos();

    public DispatchBacklogMeterBinder(InvocationQueries queries, Scheduler scheduler) {
        this.queries = queries;
        this.scheduler = scheduler;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String status : STATUSES) {
            Gauge.builder(DispatchMeters.BACKLOG, this, binder -> binder.backlog(status))
                    .description("Invocations by status")
                    .tag(DispatchMeters.STATUS, status.toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
        Gauge.builder(DispatchMeters.WORKERS_BUSY, this.scheduler, Scheduler::busyWorkers)
                .description("Workers running an attempt")
                .register(registry);
        Gauge.builder(DispatchMeters.WORKERS, this.scheduler, Scheduler::workers)
                .description("Workers in all")
                .register(registry);
        Gauge.builder(DispatchMeters.QUEUE_DEPTH, this.scheduler, Scheduler::queueDepth)
                .description("Ids waiting in the local ready queue")
                .register(registry);
    }

    private double backlog(String status) {
        long now = System.nanoTime();
        if (now - this.refreshedAt >= REFRESH.toNanos()) {
            synchronized (this) {
                if (now - this.refreshedAt >= REFRESH.toNanos()) {
                    try {
                        this.backlog = this.queries.countBacklog();
                    } catch (RuntimeException ex) {
                        // keep the last counts; the health indicator reports the store failing
                    }
                    this.refreshedAt = now;
                }
            }
        }
        return this.backlog.getOrDefault(status, 0L);
    }
}
