package dev.dispatch.bench;

import dev.dispatch.actuate.DispatchHealthIndicator;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.bench.dispatch.DispatchBenchApplication;
import dev.dispatch.engine.Scheduler;
import dev.dispatch.store.InvocationQueries;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The health probe with a large store (issue 21): {@code rows} finished invocations (default 1,000,000) and a small
 * backlog, then the probe as {@code /actuator/health} runs it: uncached (a new indicator each time, so every probe
 * reads the database) and cached (one indicator probed in a row), next to the full {@code GROUP BY status} the probe
 * ran before. Prints one {@code RESULT} line. {@code benchmarks/run.sh --health [rows]} runs it on an H2 file.
 */
public final class HealthBench {

    private static final int PROBES = 50;

    private HealthBench() {}

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:h2:file:./benchmarks/target/health/h2;WRITE_DELAY=0";
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        String user = args.length > 2 ? args[2] : "sa";
        String password = args.length > 3 ? args[3] : "";
        Config config = new Config(
                "dispatch", url.contains("postgresql") ? "pg" : "h2", "health", "", rows, url, user, password);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DispatchBenchApplication.class)
                .web(WebApplicationType.NONE)
                .properties(DispatchBench.properties(config))
                .run()) {
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            long start = System.nanoTime();
            fill(jdbc, rows);
            System.out.printf("filled %,d finished rows (+ 1,000 pending) in %.1f s%n", rows, seconds(start));
            Scheduler scheduler = context.getBean(Scheduler.class);
            InvocationQueries queries = context.getBean(InvocationQueries.class);
            FunctionRegistry registry = context.getBean(FunctionRegistry.class);

            double[] uncached = new double[PROBES];
            for (int i = 0; i < PROBES; i++) {
                DispatchHealthIndicator fresh = new DispatchHealthIndicator(scheduler, queries, registry);
                touch(jdbc, rows);
                long t = System.nanoTime();
                Health health = fresh.health(true);
                uncached[i] = millis(t);
                if (i == 0) {
                    System.out.println("health: " + health.getStatus() + " " + health.getDetails());
                }
            }
            DispatchHealthIndicator indicator = new DispatchHealthIndicator(scheduler, queries, registry);
            double[] cached = new double[PROBES * 20];
            for (int i = 0; i < cached.length; i++) {
                long t = System.nanoTime();
                indicator.health(true);
                cached[i] = millis(t);
            }
            double[] groupBy = new double[5];
            for (int i = 0; i < groupBy.length; i++) {
                touch(jdbc, rows);
                long t = System.nanoTime();
                queries.countByStatus();
                groupBy[i] = millis(t);
            }
            System.out.printf(
                    "RESULT engine=dispatch db=%s workload=health rows=%d uncached_p50_ms=%.2f uncached_max_ms=%.2f"
                            + " cached_p50_ms=%.3f cached_max_ms=%.2f full_group_by_p50_ms=%.1f%n",
                    config.db(), rows, p50(uncached), max(uncached), p50(cached), max(cached), p50(groupBy));
        }
    }

    /** Finished roots with two children each, as retention would find them, and a small backlog. */
    private static void fill(JdbcTemplate jdbc, int rows) {
        Long present = jdbc.queryForObject("SELECT COUNT(*) FROM dispatch_invocation", Long.class);
        if (present != null && present >= rows) {
            return;
        }
        Timestamp now = Timestamp.from(Instant.now());
        Timestamp later = Timestamp.from(Instant.now().plusSeconds(86_400));
        String sql = "INSERT INTO dispatch_invocation (id, function_name, arguments, status, result, attempts,"
                + " max_attempts, next_attempt_at, parent_id, root_id, created_at, updated_at, completed_at, version)"
                + " VALUES (?, ?, '[]', ?, 'null', 1, 5, ?, ?, ?, ?, ?, ?, 0)";
        List<Object[]> batch = new ArrayList<>();
        String root = null;
        for (int i = 0; i < rows; i++) {
            String id = sequentialId(i);
            if (i % 3 == 0) {
                root = id;
                batch.add(new Object[] {id, "roots.fanOut", "SUCCEEDED", now, null, id, now, now, now});
            } else {
                batch.add(new Object[] {id, "children.noop", "SUCCEEDED", now, root, root, now, now, now});
            }
            if (batch.size() == 10_000) {
                insert(jdbc, sql, batch);
                batch.clear();
            }
        }
        for (int i = 0; i < 1_000; i++) {
            String id = sequentialId(rows + i);
            batch.add(new Object[] {id, "children.noop", "PENDING", later, null, id, now, now, null});
        }
        insert(jdbc, sql, batch);
    }

    /**
     * Writes one pending row, as a running application always does: H2 answers a query it ran before from its result
     * cache while no table changed, which would time the cache rather than the probe.
     */
    private static void touch(JdbcTemplate jdbc, int rows) {
        jdbc.update("UPDATE dispatch_invocation SET updated_at = CURRENT_TIMESTAMP WHERE id = ?", sequentialId(rows));
    }

    /**
     * Ids in ascending order, shaped like the engine's: the fill appends to the primary key's index instead of
     * writing random pages (random ids made a million-row H2 fill take longer than the benchmark may). The probe reads
     * the index of due work, where the id does not matter.
     */
    private static String sequentialId(int i) {
        return String.format("00000000-0000-4000-8000-%012d", i);
    }

    /** One transaction per batch: filling is setup, not what is measured. */
    private static void insert(JdbcTemplate jdbc, String sql, List<Object[]> rows) {
        jdbc.execute((java.sql.Connection connection) -> {
            connection.setAutoCommit(false);
            try (java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) {
                        statement.setObject(i + 1, row[i]);
                    }
                    statement.addBatch();
                }
                statement.executeBatch();
                connection.commit();
            } finally {
                connection.setAutoCommit(true);
            }
            return null;
        });
    }

    private static double millis(long since) {
        return (System.nanoTime() - since) / 1e6;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static double p50(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(0);
    }
}
