package dev.dispatch.bench;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import dev.dispatch.bench.dispatch.DispatchBenchApplication;
import dev.dispatch.bench.dispatch.Roots;
import java.time.Duration;
import java.util.Arrays;
import javax.sql.DataSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Fairness (issue 18): how long a small root (a gather of 10 no-op calls) takes while one large root's fan-out of
 * {@code n} no-op calls (default 100,000) is being worked through, and how many of the large root's calls finished
 * before it. The small root is dispatched once every call of the large one is recorded. Claims that take due calls
 * oldest first (the engine before issue 18) make it wait behind the whole backlog; claims by turn start it within a
 * claim round or two. Runs {@code repeats} times in one JVM on one database and prints one {@code RESULT} line with
 * the medians. {@code benchmarks/run.sh --fairness [n]} runs it on an H2 file; it uses only the public API, so the
 * same class runs against an older engine's jar too (docs/benchmarks.md, "Fairness"). One {@link #round} is also the
 * matrix's workload W6 (DispatchBench), at the matrix's n, in a fresh JVM per run like the other workloads.
 */
public final class FairnessBench {

    private static final int SMALL = DispatchBench.SMALL_RUN;

    private FairnessBench() {}

    /**
     * One round: the large root and the small one, both finished ({@code nanos} from dispatching the large root until
     * it finished); {@code largeDoneBefore}: the large root's calls that had run when the small root was seen finished.
     */
    record Round(
            DispatchId large,
            DispatchId small,
            InvocationInfo largeDone,
            InvocationInfo smallDone,
            double smallMillis,
            int largeDoneBefore,
            long nanos) {}

    /**
     * Dispatches {@code roots.fanOut(n)} (children 0..n-1), waits until its n children are in the database, dispatches
     * {@code roots.smallRun(n, 10)} (children n..n+9) and times it until {@code awaitCompletion} returns, then waits for
     * the large root. Resets Executions to the n + 10 children.
     */
    static Round round(Dispatcher dispatcher, Roots roots, JdbcTemplate jdbc, int n, Duration timeout)
            throws InterruptedException {
        Executions.reset(n + SMALL);
        long start = System.nanoTime();
        DispatchId large = dispatcher.dispatch(() -> roots.fanOut(n));
        if (!Db.await(() -> children(jdbc, large) >= n, Duration.ofMillis(5), timeout)) {
            throw new IllegalStateException("the large root's " + n + " children were not recorded within " + timeout);
        }
        long smallStart = System.nanoTime();
        DispatchId small = dispatcher.dispatch(() -> roots.smallRun(n, SMALL));
        InvocationInfo smallDone = dispatcher.awaitCompletion(small, timeout);
        double smallMillis = (System.nanoTime() - smallStart) / 1e6;
        int largeDoneBefore = Executions.executed(0, n);
        InvocationInfo largeDone = dispatcher.awaitCompletion(large, timeout);
        return new Round(large, small, largeDone, smallDone, smallMillis, largeDoneBefore, System.nanoTime() - start);
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:h2:file:./benchmarks/target/fairness/h2;WRITE_DELAY=0";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Config config = new Config("dispatch", "h2", "fairness", "", n, url, "sa", "");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DispatchBenchApplication.class)
                .web(WebApplicationType.NONE)
                .properties(DispatchBench.properties(config))
                .run()) {
            Dispatcher dispatcher = context.getBean(Dispatcher.class);
            Roots roots = context.getBean(Roots.class);
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            double[] smallMillis = new double[repeats];
            double[] largeDoneBefore = new double[repeats];
            double[] largeSeconds = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                Round round = round(dispatcher, roots, jdbc, n, Duration.ofMinutes(30));
                smallMillis[r] = round.smallMillis();
                largeDoneBefore[r] = round.largeDoneBefore();
                largeSeconds[r] = round.nanos() / 1e9;
                if (round.smallDone().status() != InvocationStatus.SUCCEEDED
                        || round.largeDone().status() != InvocationStatus.SUCCEEDED) {
                    throw new IllegalStateException("small " + round.smallDone().status() + ", large "
                            + round.largeDone().status());
                }
                String check = Executions.check();
                if (check != null) {
                    throw new IllegalStateException("calls did not run exactly once: " + check);
                }
                System.out.printf(
                        "repeat %d: small root %.0f ms, %,.0f of %,d large calls finished before it, large root %.1f"
                                + " s%n",
                        r + 1, smallMillis[r], largeDoneBefore[r], n, largeSeconds[r]);
            }
            System.out.printf(
                    "RESULT engine=dispatch db=h2 workload=fairness n=%d small=%d small_p50_ms=%.0f"
                            + " large_done_before_p50=%.0f large_p50_s=%.1f repeats=%d%n",
                    n, SMALL, p50(smallMillis), p50(largeDoneBefore), p50(largeSeconds), repeats);
        }
    }

    private static int children(JdbcTemplate jdbc, DispatchId root) {
        Integer count = jdbc.queryForObject(
                "SELECT COUNT(*) FROM dispatch_invocation WHERE parent_id = ?", Integer.class, root.value());
        return (count != null) ? count : 0;
    }

    private static double p50(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
