package dev.dispatch.engine;

import dev.dispatch.store.Claims;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The heartbeat, on the engine's timer every third of the lease: renews the leases of what runs here. Only those: a row
 * under this node's id that nothing here runs (a dead process's under the same id, an attempt whose end could not be
 * recorded) must expire so that another node takes it over.
 */
final class Heartbeat {

    /** Logs under the scheduler's name, as operators know its warnings (docs/reliability.md). */
    private static final Log logger = LogFactory.getLog(Scheduler.class);

    private final Claims claims;

    private final DatabaseClock clock;

    private final AttemptRunner runner;

    private final WorkerAdmission admission;

    private final EngineSettings settings;

    private final ScheduledExecutorService timer;

    private @Nullable ScheduledFuture<?> beat;

    Heartbeat(
            Claims claims,
            DatabaseClock clock,
            AttemptRunner runner,
            WorkerAdmission admission,
            EngineSettings settings,
            ScheduledExecutorService timer) {
        this.claims = claims;
        this.clock = clock;
        this.runner = runner;
        this.admission = admission;
        this.settings = settings;
        this.timer = timer;
    }

    void start() {
        this.runner.leases().heartbeatStarted(System.nanoTime());
        long beat = Math.max(100, this.settings.leaseDuration().toMillis() / 3);
        this.beat = this.timer.scheduleWithFixedDelay(this::renewLeases, beat, beat, TimeUnit.MILLISECONDS);
    }

    void stop() {
        ScheduledFuture<?> beat = this.beat;
        if (beat != null) {
            beat.cancel(false);
        }
        this.runner.leases().heartbeatStopped();
    }

    /**
     * Renews the leases of what runs here: claimed invocations on their way to a worker or running on one, and
     * attempts run inline by callers.
     */
    void renewLeases() {
        long started = System.nanoTime();
        try {
            LeaseGuard leases = this.runner.leases();
            // before the renewal: a body whose row is written by then is held by it, or gone
            List<Execution> checked = leases.written();
            Map<String, Long> held = this.admission.claimedHere();
            held.putAll(this.runner.running());
            Set<String> lost = LockConflicts.retrying(() -> this.claims.renewLeases(
                    this.settings.nodeId(), held, this.clock.now().plus(this.settings.leaseDuration())));
            leases.renewed(started, checked, held, lost);
        } catch (RuntimeException ex) {
            logger.warn("Could not renew leases of node " + this.settings.nodeId() + ": " + ex);
        }
    }
}
