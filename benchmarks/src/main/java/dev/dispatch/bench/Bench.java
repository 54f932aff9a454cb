package dev.dispatch.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;

/**
 * Entry point of one measurement: one engine, one database, one workload, in this (fresh) JVM. Prints exactly one
 * machine-readable {@code RESULT ...} line on standard output, which benchmarks/run.sh collects.
 *
 * <p>Arguments are {@code key=value}: {@code engine} (dispatch, raw, db-scheduler, jobrunr, dbos), {@code db} (h2, pg),
 * {@code workload} (W1, W2, W4 for dispatch; tasks for the peers), {@code n}, {@code variant} (peer-specific),
 * {@code url}, {@code user}, {@code password}.
 */
public final class Bench {

    private Bench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected key=value, got " + arg);
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Config config = new Config(
                a.getOrDefault("engine", "dispatch"),
                a.getOrDefault("db", "h2"),
                a.getOrDefault("workload", "W1"),
                a.getOrDefault("variant", "default"),
                Integer.parseInt(a.getOrDefault("n", "1000")),
                a.get("url"),
                a.getOrDefault("user", "postgres"),
                a.getOrDefault("password", ""));
        HeapSampler heap = HeapSampler.start();
        Result result;
        try {
            result = switch (config.engine()) {
                case "dispatch" -> DispatchBench.run(config);
                case "raw" -> RawJdbcBench.run(config);
                case "db-scheduler" -> DbSchedulerBench.run(config);
                case "jobrunr" -> JobRunrBench.run(config);
                case "dbos" -> DbosBench.run(config);
                default -> throw new IllegalArgumentException("unknown engine " + config.engine());
            };
        } catch (Throwable e) {
            e.printStackTrace();
            result = Result.failed(config, e.toString());
        }
        heap.stop();
        System.out.println(result.withHeap(heap.peakUsedMb(), heap.peakLiveMb()).line());
        System.out.flush();
        // halt() skips JFR's dump on exit: stopping a recording writes it to its file.
        for (Recording recording : FlightRecorder.isInitialized()
                ? FlightRecorder.getFlightRecorder().getRecordings()
                : List.<Recording>of()) {
            recording.stop();
        }
        // Frameworks leave non-daemon threads behind: the JVM ends here, the measurement is over.
        Runtime.getRuntime().halt(result.verified() ? 0 : 2);
    }
}
