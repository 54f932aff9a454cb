package dev.dispatch.bench;

import dev.dispatch.Batch;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import dev.dispatch.bench.dispatch.Children;
import dev.dispatch.bench.dispatch.DispatchBenchApplication;
import dev.dispatch.bench.dispatch.Roots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Dispatch's workloads. W1/W3: one root gathers n no-op children, from dispatching the root to the root SUCCEEDED.
 * W2: one root makes n awaited direct calls in a row, per-step latency. W4: {@code batch().dispatch()} of n no-op
 * calls from outside any durable function, until all have SUCCEEDED. W5: many small runs (see smallRuns). W6: a small
 * run behind a large one (see fairness). The bare variant ({@code default}): no web server, no meter registry, default
 * engine settings except the connection pool, which the engine's documentation asks to keep larger than
 * {@code dispatch.workers}; the {@code typical} variant: see TypicalApplication.
 */
final class DispatchBench {

    static final int WORKERS = 16;

    /** W5: children per root, and the threads that dispatch the roots. */
    static final int SMALL_RUN = 10;

    static final int SMALL_RUN_THREADS = 8;

    private DispatchBench() {}

    static Map<String, Object> properties(Config config) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.main.banner-mode", "off");
        p.put("spring.datasource.url", config.url());
        p.put("spring.datasource.username", config.user());
        p.put("spring.datasource.password", config.password());
        // 16 workers, as in every earlier run (unset, the engine would fit them to the pool: 18 - 3 = 15); Hikari's
        // default pool (10) would starve them.
        p.put("dispatch.workers", WORKERS);
        p.put("spring.datasource.hikari.maximum-pool-size", WORKERS + 2);
        p.put("spring.jpa.hibernate.ddl-auto", "none");
        p.put("spring.jpa.open-in-view", "false");
        p.put("dispatch.jdbc.initialize-schema", "always");
        p.put("logging.level.root", "WARN");
        return p;
    }

    static Result run(Config config) throws Exception {
        Executions.reset(config.n());
        TypicalApplication typical = TypicalApplication.of(config.variant());
        SpringApplicationBuilder application = typical == null
                ? new SpringApplicationBuilder(DispatchBenchApplication.class)
                        .web(WebApplicationType.NONE)
                        .properties(properties(config))
                : new SpringApplicationBuilder(Class.forName("dev.dispatch.bench.typical.TypicalBenchApplication"))
                        .web(typical.web() ? WebApplicationType.SERVLET : WebApplicationType.NONE)
                        .properties(typical.properties(config));
        try (ConfigurableApplicationContext context = application.run()) {
            Dispatcher dispatcher = context.getBean(Dispatcher.class);
            Roots roots = context.getBean(Roots.class);
            Children children = context.getBean(Children.class);
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            Result result = switch (config.workload()) {
                case "W1" -> fanOut(config, dispatcher, roots, jdbc);
                case "W2" -> chain(config, dispatcher, roots, jdbc);
                case "W4" -> batch(config, dispatcher, children, jdbc);
                case "W5" -> smallRuns(config, dispatcher, roots, jdbc);
                case "W6" -> fairness(config, dispatcher, roots, jdbc);
                default -> throw new IllegalArgumentException("unknown workload " + config.workload());
            };
            return typical != null && typical.web() ? TypicalChecks.scrape(context, typical, result) : result;
        }
    }

    /**
     * W5: n / 11 roots of 10 no-op children each ({@code roots.smallRun}), dispatched one by one from 8 threads; from
     * the first dispatch until the database shows all n calls SUCCEEDED.
     */
    private static Result smallRuns(Config config, Dispatcher dispatcher, Roots roots, JdbcTemplate jdbc)
            throws Exception {
        int runs = config.n() / (SMALL_RUN + 1);
        int n = runs * (SMALL_RUN + 1);
        Executions.reset(runs * SMALL_RUN);
        ExecutorService threads = Executors.newFixedThreadPool(SMALL_RUN_THREADS);
        String sql = "SELECT COUNT(*) FROM dispatch_invocation WHERE status = 'SUCCEEDED'";
        try {
            Measurement measurement = Measurement.begin(config);
            long start = System.nanoTime();
            List<Future<?>> dispatched = new ArrayList<>();
            for (int t = 0; t < SMALL_RUN_THREADS; t++) {
                int thread = t;
                dispatched.add(threads.submit(() -> {
                    for (int run = thread; run < runs; run += SMALL_RUN_THREADS) {
                        int first = run * SMALL_RUN;
                        dispatcher.dispatch(() -> roots.smallRun(first, SMALL_RUN));
                    }
                }));
            }
            for (Future<?> future : dispatched) {
                future.get();
            }
            boolean done = Db.await(
                            () -> Executions.executed() >= runs * SMALL_RUN, Duration.ofMillis(5), timeout(config))
                    && Db.await(() -> jdbc.queryForObject(sql, Long.class) >= n, Duration.ofMillis(5), timeout(config));
            long nanos = System.nanoTime() - start;
            measurement.finish();
            String wrong = Executions.check();
            long succeeded = jdbc.queryForObject(sql, Long.class);
            Long rootsSucceeded = jdbc.queryForObject(
                    "SELECT COUNT(*) FROM dispatch_invocation WHERE function_name = 'roots.smallRun' AND status = ?",
                    Long.class,
                    InvocationStatus.SUCCEEDED.name());
            boolean verified =
                    done && wrong == null && succeeded == n && rootsSucceeded != null && rootsSucceeded == runs;
            return Result.of(
                    config,
                    nanos,
                    verified,
                    wrong == null ? "succeeded=" + succeeded + ",roots=" + rootsSucceeded : wrong);
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * W6 (issue 19, the fairness latency of issue 18): FairnessBench's round at n, once. A root gathers n no-op
     * children; once all n are recorded, {@code roots.smallRun(n, 10)} is dispatched: its latency until
     * {@code awaitCompletion} returns ({@code smallMs}) and how many of the large root's calls had run by then
     * ({@code largeDoneBefore}). Timed from dispatching the large root until it SUCCEEDED; both roots and all n + 10
     * children must have run exactly once.
     */
    private static Result fairness(Config config, Dispatcher dispatcher, Roots roots, JdbcTemplate jdbc)
            throws InterruptedException {
        int n = config.n();
        Measurement measurement = Measurement.begin(config);
        FairnessBench.Round round = FairnessBench.round(dispatcher, roots, jdbc, n, timeout(config));
        measurement.finish();
        String sql = "SELECT result FROM dispatch_invocation WHERE id = ?";
        String large = jdbc.queryForObject(sql, String.class, round.large().value());
        String small = jdbc.queryForObject(sql, String.class, round.small().value());
        long smallSum = (long) SMALL_RUN * n + (long) SMALL_RUN * (SMALL_RUN - 1) / 2;
        boolean verified =
                verify(round.largeDone(), large, (long) n * (n - 1) / 2, jdbc, "children.noop", n + SMALL_RUN)
                        && round.smallDone().status() == InvocationStatus.SUCCEEDED
                        && String.valueOf(smallSum).equals(small);
        String note = "root=" + round.largeDone().status() + ",small="
                + round.smallDone().status();
        return Result.of(config, round.nanos(), verified, note)
                .withExtra("smallMs", String.format(Locale.ROOT, "%.1f", round.smallMillis()))
                .withExtra("largeDoneBefore", Integer.toString(round.largeDoneBefore()));
    }

    private static Duration timeout(Config config) {
        return Duration.ofSeconds(120 + config.n() / 50);
    }

    private static Result fanOut(Config config, Dispatcher dispatcher, Roots roots, JdbcTemplate jdbc) {
        int n = config.n();
        Measurement measurement = Measurement.begin(config);
        long start = System.nanoTime();
        DispatchId root = dispatcher.dispatch(() -> roots.fanOut(n));
        InvocationInfo info = dispatcher.awaitCompletion(root, timeout(config));
        long nanos = System.nanoTime() - start;
        measurement.finish();
        String result =
                jdbc.queryForObject("SELECT result FROM dispatch_invocation WHERE id = ?", String.class, root.value());
        long expected = (long) n * (n - 1) / 2;
        return Result.of(
                config, nanos, verify(info, result, expected, jdbc, "children.noop", n), "root=" + info.status());
    }

    private static Result chain(Config config, Dispatcher dispatcher, Roots roots, JdbcTemplate jdbc) {
        int n = config.n();
        Roots.resetSteps(n);
        Measurement measurement = Measurement.begin(config);
        long start = System.nanoTime();
        DispatchId root = dispatcher.dispatch(() -> roots.chain(n));
        InvocationInfo info = dispatcher.awaitCompletion(root, timeout(config));
        long nanos = System.nanoTime() - start;
        measurement.finish();
        String result =
                jdbc.queryForObject("SELECT result FROM dispatch_invocation WHERE id = ?", String.class, root.value());
        long expected = (long) n * (n - 1) / 2;
        long[] steps = Roots.steps();
        Arrays.sort(steps);
        return Result.of(
                        config,
                        nanos,
                        verify(info, result, expected, jdbc, "children.step", n) && steps[0] > 0,
                        "root=" + info.status())
                .withLatency(
                        Executions.percentileNanos(steps, 0.50) / 1e6, Executions.percentileNanos(steps, 0.99) / 1e6);
    }

    private static Result batch(Config config, Dispatcher dispatcher, Children children, JdbcTemplate jdbc)
            throws InterruptedException {
        int n = config.n();
        Measurement measurement = Measurement.begin(config);
        long start = System.nanoTime();
        Batch batch = dispatcher.batch();
        for (int i = 0; i < n; i++) {
            int id = i;
            batch.add(() -> children.noop(id));
        }
        List<DispatchId> ids = batch.dispatch();
        String sql = "SELECT COUNT(*) FROM dispatch_invocation WHERE status = 'SUCCEEDED'";
        // Wait in memory until every child ran, then for the database to show them all SUCCEEDED (cheap polls).
        boolean done = Db.await(() -> Executions.executed() >= n, Duration.ofMillis(5), timeout(config))
                && Db.await(() -> jdbc.queryForObject(sql, Long.class) >= n, Duration.ofMillis(5), timeout(config));
        long nanos = System.nanoTime() - start;
        measurement.finish();
        String wrong = Executions.check();
        long succeeded = jdbc.queryForObject(sql, Long.class);
        boolean verified = done && ids.size() == n && wrong == null && succeeded == n;
        return Result.of(config, nanos, verified, wrong == null ? "succeeded=" + succeeded : wrong);
    }

    private static boolean verify(
            InvocationInfo root, String result, long expected, JdbcTemplate jdbc, String function, int n) {
        String wrong = Executions.check();
        Long succeeded = jdbc.queryForObject(
                "SELECT COUNT(*) FROM dispatch_invocation WHERE function_name = ? AND status = ?",
                Long.class,
                function,
                InvocationStatus.SUCCEEDED.name());
        boolean ok = root.status() == InvocationStatus.SUCCEEDED
                && String.valueOf(expected).equals(result)
                && wrong == null
                && succeeded != null
                && succeeded == n;
        if (!ok) {
            System.err.println("verification failed: root=" + root.status() + " result=" + result + " expected="
                    + expected + " executions=" + wrong + " succeeded=" + succeeded);
        }
        return ok;
    }
}
