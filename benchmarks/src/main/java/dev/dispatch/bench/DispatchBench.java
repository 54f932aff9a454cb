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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Dispatch's workloads. W1/W3: one root gathers n no-op children, from dispatching the root to the root SUCCEEDED.
 * W2: one root makes n awaited direct calls in a row, per-step latency. W4: {@code batch().dispatch()} of n no-op
 * calls from outside any durable function, until all have SUCCEEDED. Default engine settings except the connection
 * pool, which the engine's documentation asks to keep larger than {@code dispatch.workers}.
 */
final class DispatchBench {

    static final int WORKERS = 16;

    private DispatchBench() {}

    static Map<String, Object> properties(Config config) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.main.banner-mode", "off");
        p.put("spring.datasource.url", config.url());
        p.put("spring.datasource.username", config.user());
        p.put("spring.datasource.password", config.password());
        // dispatch.workers stays at its default (16); Hikari's default pool (10) would starve the workers.
        p.put("spring.datasource.hikari.maximum-pool-size", WORKERS + 2);
        p.put("spring.jpa.hibernate.ddl-auto", "none");
        p.put("spring.jpa.open-in-view", "false");
        p.put("dispatch.jdbc.initialize-schema", "always");
        p.put("logging.level.root", "WARN");
        return p;
    }

    static Result run(Config config) throws Exception {
        Executions.reset(config.n());
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DispatchBenchApplication.class)
                .web(WebApplicationType.NONE)
                .properties(properties(config))
                .run()) {
            Dispatcher dispatcher = context.getBean(Dispatcher.class);
            Roots roots = context.getBean(Roots.class);
            Children children = context.getBean(Children.class);
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            return switch (config.workload()) {
                case "W1" -> fanOut(config, dispatcher, roots, jdbc);
                case "W2" -> chain(config, dispatcher, roots, jdbc);
                case "W4" -> batch(config, dispatcher, children, jdbc);
                default -> throw new IllegalArgumentException("unknown workload " + config.workload());
            };
        }
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
