package dev.dispatch.actuate;

import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.engine.Scheduler;
import dev.dispatch.store.InvocationQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of durable execution on this node: UP while the scheduler runs, its housekeeping polls the database and the
 * database answers; OUT_OF_SERVICE while it shuts down; DOWN when it has stopped, its polling stalled, or the store
 * fails. Details: the backlog, the oldest pending age and the last poll. The backlog is read through the index of due
 * work (never a scan of finished rows) and reused for {@link #BACKLOG_TTL}, so that frequent probes cost the database
 * one read per period.
 */
public class DispatchHealthIndicator extends AbstractHealthIndicator {

    private static final Duration MIN_STALL = Duration.ofSeconds(30);

    private final Scheduler scheduler;

    private final FunctionRegistry registry;

    /** How long a backlog read is reused. */
    static final Duration BACKLOG_TTL = Duration.ofSeconds(1);

    private final ShortCache<Backlog> backlog;

    /** What the probe reports of the store. */
    private record Backlog(
            Map<String, Long> byStatus,
            long unrunnable,
            @Nullable Instant oldestDue) {}

    public DispatchHealthIndicator(Scheduler scheduler, InvocationQueries queries, FunctionRegistry registry) {
        super("Dispatch health check failed");
        this.scheduler = scheduler;
        this.registry = registry;
        this.backlog = new ShortCache<>(
                BACKLOG_TTL,
                () -> new Backlog(
                        queries.countBacklog(),
                        queries.countUnrunnable(registry.names()),
                        queries.oldestDue(Instant.now()).orElse(null)));
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Instant now = Instant.now();
        Instant lastPoll = this.scheduler.lastPoll();
        builder.withDetail("lastPoll", (lastPoll != null) ? lastPoll.toString() : "never")
                .withDetail("workers", Map.of("busy", this.scheduler.busyWorkers(), "total", this.scheduler.workers()));
        if (this.scheduler.isStopping()) {
            builder.outOfService().withDetail("scheduler", "stopping");
            return;
        }
        if (!this.scheduler.isRunning()) {
            builder.down().withDetail("scheduler", "stopped");
            return;
        }
        Backlog backlog = this.backlog.get();
        builder.withDetail(
                "backlog",
                Map.of(
                        "pending", backlog.byStatus().getOrDefault("PENDING", 0L),
                        "running", backlog.byStatus().getOrDefault("RUNNING", 0L),
                        "suspended", backlog.byStatus().getOrDefault("SUSPENDED", 0L)));
        // Recorded calls of functions this node does not have wait for a node that has them (a rolling deploy).
        builder.withDetail("unrunnable", backlog.unrunnable());
        Instant due = backlog.oldestDue();
        if (due != null) {
            builder.withDetail(
                    "oldestPendingAgeMillis",
                    Math.max(0, Duration.between(due, now).toMillis()));
        }
        Duration stall = this.scheduler.pollInterval().multipliedBy(10);
        stall = (stall.compareTo(MIN_STALL) < 0) ? MIN_STALL : stall;
        if (lastPoll != null && Duration.between(lastPoll, now).compareTo(stall) > 0) {
            builder.down().withDetail("scheduler", "polling stalled for " + Duration.between(lastPoll, now));
            return;
        }
        builder.up().withDetail("scheduler", "running");
    }
}
