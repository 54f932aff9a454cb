package dev.dispatch.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/**
 * db-scheduler: n one-time tasks scheduled for now in batches ({@code scheduleBatch}), from the first insert until
 * the table is empty (a one-time task's row is deleted when it completes). Settings, after its README's "Performance"
 * section: 16 threads (as many as Dispatch's workers), polling interval 1 s (re-polls at once while it finds work),
 * immediate execution on, polling strategy {@code fetch} (fetch-and-lock-on-execute, the default, lower limit 0.5,
 * upper 3.0 of threads) or, on PostgreSQL only, {@code lock-and-fetch} ({@code SELECT ... FOR UPDATE SKIP LOCKED},
 * lower limit 0.5, upper 1.0 of threads). Pool: threads + 4 connections. W5 and W6: see smallRuns and fairness.
 */
final class DbSchedulerBench {

    static final int THREADS = 16;

    static final int BATCH = 1_000;

    private DbSchedulerBench() {}

    static Result run(Config config) throws Exception {
        if ("W5".equals(config.workload())) {
            return smallRuns(config);
        }
        if ("W6".equals(config.workload())) {
            return fairness(config);
        }
        int n = config.n();
        Executions.reset(n);
        try (HikariDataSource dataSource = Db.pool(config, THREADS + 4)) {
            createTable(config, dataSource);
            OneTimeTask<Integer> task = noop();
            Scheduler scheduler = start(config, dataSource, task);
            try {
                long start = System.nanoTime();
                schedule(scheduler, task, 0, n);
                Duration timeout = Duration.ofSeconds(120 + n / 20);
                boolean done = allRan(dataSource, n, timeout);
                long nanos = System.nanoTime() - start;
                String wrong = Executions.check();
                return Result.of(config, nanos, done && wrong == null, wrong == null ? "table-empty=" + done : wrong);
            } finally {
                scheduler.stop();
            }
        }
    }

    /**
     * W5, as Dispatch runs it: n / 11 root tasks scheduled one by one (one transaction each) from 8 threads; each root,
     * when it runs, schedules its 10 child tasks in one batch; from the first schedule until all n tasks ran and the
     * table is empty. (db-scheduler has no fan-in: a root does not wait for its children.)
     */
    private static Result smallRuns(Config config) throws Exception {
        int runs = config.n() / (DispatchBench.SMALL_RUN + 1);
        int children = runs * DispatchBench.SMALL_RUN;
        int n = runs + children;
        Executions.reset(n);
        try (HikariDataSource dataSource = Db.pool(config, THREADS + 4)) {
            createTable(config, dataSource);
            OneTimeTask<Integer> child = Tasks.oneTime("child", Integer.class)
                    .execute((instance, context) -> Executions.record(instance.getData()));
            OneTimeTask<Integer> root = Tasks.oneTime("root", Integer.class).execute((instance, context) -> {
                int run = instance.getData();
                List<TaskInstance<?>> batch = new ArrayList<>();
                for (int i = 0; i < DispatchBench.SMALL_RUN; i++) {
                    int id = run * DispatchBench.SMALL_RUN + i;
                    batch.add(child.instance(Integer.toString(id), id));
                }
                context.getSchedulerClient().scheduleBatch(batch, Instant.now());
                Executions.record(children + run);
            });
            Scheduler scheduler = start(config, dataSource, root, child);
            ExecutorService threads = Executors.newFixedThreadPool(DispatchBench.SMALL_RUN_THREADS);
            try {
                Measurement measurement = Measurement.begin(config);
                long start = System.nanoTime();
                List<Future<?>> scheduled = new ArrayList<>();
                for (int t = 0; t < DispatchBench.SMALL_RUN_THREADS; t++) {
                    int thread = t;
                    scheduled.add(threads.submit(() -> {
                        for (int run = thread; run < runs; run += DispatchBench.SMALL_RUN_THREADS) {
                            scheduler.schedule(root.instance("r" + run, run), Instant.now());
                        }
                    }));
                }
                for (Future<?> future : scheduled) {
                    future.get();
                }
                Duration timeout = Duration.ofSeconds(120 + n / 20);
                boolean done = allRan(dataSource, n, timeout);
                long nanos = System.nanoTime() - start;
                measurement.finish();
                String wrong = Executions.check();
                return Result.of(config, nanos, done && wrong == null, wrong == null ? "table-empty=" + done : wrong);
            } finally {
                threads.shutdownNow();
                scheduler.stop();
            }
        }
    }

    /** Whether {@code tasks} executions were counted and the task table emptied, each within {@code timeout}. */
    private static boolean allRan(DataSource dataSource, int tasks, Duration timeout) throws InterruptedException {
        return Db.await(() -> Executions.executed() >= tasks, Duration.ofMillis(5), timeout)
                && Db.await(
                        () -> Db.count(dataSource, "SELECT COUNT(*) FROM scheduled_tasks") == 0,
                        Duration.ofMillis(5),
                        timeout);
    }

    /** The no-op task: counts its execution under its data, an id. */
    private static OneTimeTask<Integer> noop() {
        return Tasks.oneTime("noop", Integer.class)
                .execute((instance, context) -> Executions.record(instance.getData()));
    }

    /** A started scheduler with the settings above and the variant's polling strategy. */
    private static Scheduler start(Config config, DataSource dataSource, Task<?>... tasks) {
        SchedulerBuilder builder = Scheduler.create(dataSource, tasks)
                .threads(THREADS)
                .pollingInterval(Duration.ofSeconds(1))
                .enableImmediateExecution()
                .shutdownMaxWait(Duration.ofSeconds(5));
        if ("lock-and-fetch".equals(config.variant())) {
            builder.pollUsingLockAndFetch(0.5, 1.0);
        } else {
            builder.pollUsingFetchAndLockOnExecute(0.5, 3.0);
        }
        Scheduler scheduler = builder.build();
        scheduler.start();
        return scheduler;
    }

    /** Schedules the task for now with the ids {@code from} (inclusive) to {@code to}, in batches of 1,000. */
    private static void schedule(Scheduler scheduler, OneTimeTask<Integer> task, int from, int to) {
        Instant now = Instant.now();
        for (int first = from; first < to; first += BATCH) {
            List<TaskInstance<?>> instances = new ArrayList<>();
            for (int i = first; i < Math.min(to, first + BATCH); i++) {
                instances.add(task.instance(Integer.toString(i), i));
            }
            scheduler.scheduleBatch(instances, now);
        }
    }

    /**
     * W6, as Dispatch runs it: a backlog of n no-op tasks scheduled for now (in batches, as above); once all n are
     * scheduled, 10 more for now (one batch, so due after the backlog): their latency from that schedule until all 10
     * ran ({@code smallMs}, polled every millisecond) and how many of the backlog's tasks had run by then
     * ({@code largeDoneBefore}). Timed from the first schedule until all n + 10 ran and the table is empty.
     * db-scheduler's priorities (off by default) are not used.
     */
    private static Result fairness(Config config) throws Exception {
        int n = config.n();
        int small = DispatchBench.SMALL_RUN;
        Executions.reset(n + small);
        try (HikariDataSource dataSource = Db.pool(config, THREADS + 4)) {
            createTable(config, dataSource);
            OneTimeTask<Integer> task = noop();
            Scheduler scheduler = start(config, dataSource, task);
            try {
                Duration timeout = Duration.ofSeconds(120 + n / 20);
                Measurement measurement = Measurement.begin(config);
                long start = System.nanoTime();
                schedule(scheduler, task, 0, n);
                long smallStart = System.nanoTime();
                schedule(scheduler, task, n, n + small);
                boolean smallDone =
                        Db.await(() -> Executions.executed(n, n + small) >= small, Duration.ofMillis(1), timeout);
                double smallMillis = (System.nanoTime() - smallStart) / 1e6;
                int largeDoneBefore = Executions.executed(0, n);
                boolean done = allRan(dataSource, n + small, timeout);
                long nanos = System.nanoTime() - start;
                measurement.finish();
                String wrong = Executions.check();
                return Result.of(
                                config,
                                nanos,
                                smallDone && done && wrong == null,
                                wrong == null ? "table-empty=" + done : wrong)
                        .withExtra("smallMs", String.format(Locale.ROOT, "%.1f", smallMillis))
                        .withExtra("largeDoneBefore", Integer.toString(largeDoneBefore));
            } finally {
                scheduler.stop();
            }
        }
    }

    private static void createTable(Config config, HikariDataSource dataSource) {
        if (config.mariadb()) {
            // db-scheduler's MySQL/MariaDB schema
            Db.execute(
                    dataSource,
                    "CREATE TABLE scheduled_tasks (task_name VARCHAR(100) NOT NULL, task_instance VARCHAR(100) NOT"
                            + " NULL, task_data BLOB, execution_time TIMESTAMP(6) NOT NULL, picked BOOLEAN NOT NULL,"
                            + " picked_by VARCHAR(50), last_success TIMESTAMP(6) NULL, last_failure TIMESTAMP(6) NULL,"
                            + " consecutive_failures INT, last_heartbeat TIMESTAMP(6) NULL, version BIGINT NOT NULL,"
                            + " priority SMALLINT, PRIMARY KEY (task_name, task_instance), INDEX execution_time_idx"
                            + " (execution_time), INDEX last_heartbeat_idx (last_heartbeat), INDEX"
                            + " priority_execution_time_idx (priority DESC, execution_time ASC))");
            return;
        }
        String time = config.postgres() ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP(6) WITH TIME ZONE";
        String bytes = config.postgres() ? "BYTEA" : "BLOB";
        Db.execute(
                dataSource,
                "CREATE TABLE scheduled_tasks (task_name TEXT NOT NULL, task_instance TEXT NOT NULL, task_data "
                        + bytes + ", execution_time " + time + " NOT NULL, picked BOOLEAN NOT NULL, picked_by TEXT,"
                        + " last_success " + time + ", last_failure " + time + ", consecutive_failures INT,"
                        + " last_heartbeat " + time + ", version BIGINT NOT NULL, priority SMALLINT,"
                        + " PRIMARY KEY (task_name, task_instance))",
                "CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)",
                "CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)",
                "CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC)");
    }
}
