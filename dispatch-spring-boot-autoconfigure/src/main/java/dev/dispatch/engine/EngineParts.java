package dev.dispatch.engine;

import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.codec.JsonCodec;
import dev.dispatch.store.Claims;
import dev.dispatch.store.InvocationStore;
import dev.dispatch.store.ReadySignals;
import dev.dispatch.store.Retention;
import dev.dispatch.store.SignalStore;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The engine's parts, wired once: its timer, transactions, queue and clock, and what runs on them. */
final class EngineParts {

    final ScheduledExecutorService timer;

    final ConcurrencyLimits limits;

    final AttemptRunner runner;

    final StepResults results;

    final DurableSteps steps;

    final RootCalls roots;

    final Replayer replayer;

    final Scheduler scheduler;

    final Signals signals;

    final DispatchedInvocations dispatched;

    EngineParts(
            FunctionRegistry registry,
            JsonCodec codec,
            InvocationStore store,
            Claims claims,
            Retention retention,
            SignalStore signalStore,
            ReadySignals signals,
            PlatformTransactionManager transactionManager,
            EngineSettings settings,
            Function<String, Object> beans,
            ObservationRegistry observations,
            EngineListener listener,
            Waiters waiters) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("dispatch-timer-"));
        // Every attempt arms a timeout that it cancels when it ends: drop cancelled ones at once, not when they are
        // due.
        timer.setRemoveOnCancelPolicy(true);
        this.timer = timer;
        DatabaseClock clock = new DatabaseClock(claims);
        ReadyQueue ready = new ReadyQueue(settings.queueCapacity(), timer, clock);
        TransactionTemplate joinTx = new TransactionTemplate(transactionManager);
        TransactionTemplate newTx = template(transactionManager, TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        // READ COMMITTED on MySQL and MariaDB, whose default (REPEATABLE READ) makes claims lock index gaps
        newTx.setIsolationLevel(store.database().isolationLevel());
        TransactionTemplate noTx = template(transactionManager, TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
        // The engine's own threads (scheduler, writer, housekeeping) never join a caller's transaction and issue only
        // plain JDBC statements: their transactions need no persistence context, only the connection.
        TransactionTemplate ownTx = new TransactionTemplate(new JdbcTransactionManager(store.dataSource()));
        ownTx.setIsolationLevel(store.database().isolationLevel());
        OwnTransactions own = new OwnTransactions(ownTx, newTx);
        ConcurrencyLimits limits =
                new ConcurrencyLimits(registry, settings.workers(), settings.adaptiveConcurrency(), listener);
        this.limits = limits;
        TraceContexts traces = new TraceContexts(observations);
        AttemptRunner runner = new AttemptRunner(
                registry,
                codec,
                store,
                claims,
                ownTx,
                own,
                noTx,
                clock,
                ready,
                waiters,
                timer,
                settings,
                beans,
                traces,
                limits.observing(listener));
        this.runner = runner;
        StepResults results = new StepResults(registry, codec);
        this.results = results;
        Deadlines deadlines = new Deadlines(store, own, clock, ready, runner);
        this.steps = new DurableSteps(store, own, clock, ready, runner, results, settings, listener, traces, deadlines);
        this.roots =
                new RootCalls(store, joinTx, own, clock, ready, runner, waiters, results, settings, listener, traces);
        this.replayer = new Replayer(registry, codec, runner);
        this.scheduler = new Scheduler(
                store, claims, retention, signals, ownTx, clock, ready, runner, registry, settings, timer, limits,
                deadlines);
        this.signals = new Signals(signalStore, store, codec, joinTx, own, clock, ready);
        this.dispatched = new DispatchedInvocations(store, newTx, clock, ready, runner, waiters, results, settings);
        this.scheduler.onHousekeeping(this.signals::deliverDue);
    }

    private static TransactionTemplate template(PlatformTransactionManager manager, int propagation) {
        TransactionTemplate template = new TransactionTemplate(manager);
        template.setPropagationBehavior(propagation);
        return template;
    }

    private static CustomizableThreadFactory daemon(String prefix) {
        CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
        factory.setDaemon(true);
        return factory;
    }
}
