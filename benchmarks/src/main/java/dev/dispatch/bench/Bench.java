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
 * <p>Arguments are {@code key=value}: {@code engine} (dispatch, raw, db-scheduler, jobrunr, dbos), {@code db} (h2, pg, mdb),
 * {@code workload} (W1, W2, W4, W5, W6 for dispatch; tasks for the peers, and W5, W6 for db-scheduler), {@code n},
 * {@code variant} (for dispatch: default, typical and its parts, or another build's; peer-specific otherwise),
 * {@code url}, {@code user}, {@code password}, and {@code warm=true} for a second, warm pass: the same workload again
 * in the same JVM on a fresh database (next to the first database: an H2 file beside it, or a PostgreSQL database
 * created on the same server and dropped after), reported in the same line as {@code warmRate}, {@code warmP50} ...
 */
public final class Bench {

    private Bench() {}

    private static Result pass(Config config) {
        try {
            return switch (config.engine()) {
                case "dispatch" -> DispatchBench.run(config);
                case "raw" -> RawJdbcBench.run(config);
                case "db-scheduler" -> DbSchedulerBench.run(config);
                case "jobrunr" -> JobRunrBench.run(config);
                case "dbos" -> DbosBench.run(config);
                default -> throw new IllegalArgumentException("unknown engine " + config.engine());
            };
        } catch (Throwable e) {
            e.printStackTrace();
            return Result.failed(config, e.toString());
        }
    }

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
        boolean warm = Boolean.parseBoolean(a.getOrDefault("warm", "false"));
        HeapSampler heap = HeapSampler.start();
        Result result = pass(config);
        if (warm && result.verified()) {
            // The same workload again in this JVM, now that its code is loaded and compiled, on a fresh database.
            Result second;
            try (WarmDatabase database = WarmDatabase.create(config)) {
                second = pass(config.withUrl(database.url()));
            } catch (Throwable e) {
                e.printStackTrace();
                second = Result.failed(config, e.toString());
            }
            result = result.withWarm(second);
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
