package dev.dispatch.engine;

import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.store.Claims;
import dev.dispatch.store.InvocationStore;
import dev.dispatch.store.ReadySignals;
import dev.dispatch.store.Retention;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Feeds the workers: takes due ids from the local ready queue, or from the database when the queue runs dry and the
 * poll interval has passed, claims them in one batch for as many workers as are free plus a few ahead (so that a
 * worker that finishes finds its next call claimed already), and runs each on a worker.
 * Each poll also recovers invocations whose node died (expired leases) and wakes suspended parents whose step is
 * decided (the backstop for a lost wake-up). A heartbeat renews the leases of what runs here.
 *
 * <p>Each part is a class of its own, built here once: the {@link ClaimLoop}, {@link WorkerAdmission} (places for
 * claimed calls, claim-ahead, hand-back of stale claims), the {@link Workers}, {@link Housekeeping} and the
 * {@link Heartbeat}. This class starts and stops them in order.
 */
public final class Scheduler implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(Scheduler.class);

    private final ReadySignals signals;

    private final DatabaseClock clock;

    private final ReadyQueue ready;

    private final FunctionRegistry registry;

    private final EngineSettings settings;

    private final WorkerAdmission admission;

    private final ClaimLoop claimLoop;

    private final Workers workers;

    private final Heartbeat heartbeat;

    private final Housekeeping housekeeping;

    private volatile boolean running;

    private volatile boolean stopping;

    Scheduler(
            InvocationStore store,
            Claims claims,
            Retention retention,
            ReadySignals signals,
            TransactionTemplate tx,
            DatabaseClock clock,
            ReadyQueue ready,
            AttemptRunner runner,
            FunctionRegistry registry,
            EngineSettings settings,
            ScheduledExecutorService timer,
            ConcurrencyLimits limits,
            Deadlines deadlines) {
        this.signals = signals;
        this.clock = clock;
        this.ready = ready;
        this.registry = registry;
        this.settings = settings;
        this.admission = new WorkerAdmission(claims, clock, ready, settings, this::isRunning);
        this.claimLoop =
                new ClaimLoop(claims, tx, clock, ready, registry, limits, settings, this.admission, this::isRunning);
        this.workers = new Workers(runner, limits, settings, this.admission, this::isRunning, this::pollNow);
        this.heartbeat = new Heartbeat(claims, clock, runner, this.admission, settings, timer);
        this.housekeeping = new Housekeeping(
                store,
                claims,
                retention,
                tx,
                clock,
                ready,
                runner,
                registry,
                deadlines,
                settings,
                this.heartbeat,
                this::isRunning);
    }

    @Override
    public synchronized void start() {
        if (this.running) {
            return;
        }
        this.running = true;
        this.workers.start();
        this.heartbeat.start();
        this.housekeeping.start();
        this.signals.start(this::pollNow);
        this.claimLoop.start();
        logger.info("Dispatch scheduler started on node " + this.settings.nodeId() + " with " + this.settings.workers()
                + " workers and " + this.registry.names().size() + " functions");
    }

    @Override
    public synchronized void stop() {
        if (!this.running) {
            return;
        }
        this.stopping = true;
        this.running = false;
        this.signals.stop();
        this.housekeeping.stop();
        this.claimLoop.stop(this.settings.shutdownGracePeriod());
        this.admission.handBackWaiting();
        this.workers.stop(this.settings.shutdownGracePeriod());
        // Attempts that ended are recorded before the heartbeat stops renewing their leases.
        long deadline = System.nanoTime() + this.settings.shutdownGracePeriod().toNanos();
        while (this.admission.anyClaimed() && System.nanoTime() - deadline < 0) {
            pause(Duration.ofMillis(10));
        }
        this.heartbeat.stop();
        this.stopping = false;
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** Workers busy running attempts now. */
    public int busyWorkers() {
        return this.workers.busy();
    }

    /** Ids waiting in the local ready queue. */
    public int queueDepth() {
        return this.ready.size();
    }

    /** Whether the scheduler is stopping: no new claims, running attempts finishing. */
    public boolean isStopping() {
        return this.stopping;
    }

    /** This node's name in leases. */
    public String nodeId() {
        return this.settings.nodeId();
    }

    /** Number of workers. */
    public int workers() {
        return this.settings.workers();
    }

    /** How often housekeeping (lease recovery, wake-up sweep) is meant to run. */
    public Duration pollInterval() {
        return this.settings.pollInterval();
    }

    /** When housekeeping last ran against the database successfully, if ever. */
    public @Nullable Instant lastPoll() {
        return this.housekeeping.lastPoll();
    }

    /** Runs {@code task} on every housekeeping pass, with the pass's time. */
    void onHousekeeping(Consumer<Instant> task) {
        this.housekeeping.add(task);
    }

    /** The time this node goes by: the database's clock, plus whatever a test moved it by. */
    public Instant clockNow() {
        return this.clock.now();
    }

    /**
     * Moves this node's clock forward (the test kit's {@code DispatchTester.advanceClock}): the leases of what runs here
     * move with it, then housekeeping runs on the caller's thread and a poll is asked for, so whatever fell due starts
     * without waiting.
     */
    public void advanceClock(Duration amount) {
        this.housekeeping.advanceClock(amount);
        pollNow();
    }

    /** Asks the scheduler to poll the database now: another node announced due work. */
    void pollNow() {
        this.claimLoop.pollNow();
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
