package dev.dispatch.actuate;

import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.engine.Scheduler;
import dev.dispatch.store.InvocationQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of durable execution on this node: UP while the scheduler runs, its housekeeping polls the database and the
 * database answers; OUT_OF_SERVICE while it shuts down; DOWN when it has stopped, its polling stalled, or the store
 * fails. Details: the backlog, the oldest pending age and the last poll.
 */
public class DispatchHealthIndicator extends AbstractHealthIndicator {

    private static final Duration MIN_STALL = Duration.ofSeconds(30);

    private final Scheduler scheduler;

    private final InvocationQueries queries;

    private final FunctionRegistry registry;

    public DispatchHealthIndicator(Scheduler scheduler, InvocationQueries queries, FunctionRegistry registry) {
        super("Dispatch health check failed");
        this.scheduler = scheduler;
        this.queries = queries;
        this.registry = registry;
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
        Map<String, Long> backlog = this.queries.countByStatus();
        builder.withDetail(
                "backlog",
                Map.of(
                        "pending", backlog.getOrDefault("PENDING", 0L),
                        "running", backlog.getOrDefault("RUNNING", 0L),
                        "suspended", backlog.getOrDefault("SUSPENDED", 0L)));
        // Recorded calls of functions this node does not have wait for a node that has them (a rolling deploy).
        builder.withDetail("unrunnable", this.queries.countUnrunnable(this.registry.names()));
        this.queries
                .oldestDue(now)
                .ifPresent(due -> builder.withDetail(
                        "oldestPendingAgeMillis", Duration.between(due, now).toMillis()));
        Duration stall = this.scheduler.pollInterval().multipliedBy(10);
        stall = (stall.compareTo(MIN_STALL) < 0) ? MIN_STALL : stall;
        if (lastPoll != null && Duration.between(lastPoll, now).compareTo(stall) > 0) {
            builder.down().withDetail("scheduler", "polling stalled for " + Duration.between(lastPoll, now));
            return;
        }
        builder.up().withDetail("scheduler", "running");
    }
}
