package dev.dispatch.bench;

import java.util.Locale;

/** One run's outcome, printed as a single {@code RESULT key=value ...} line. */
public record Result(
        Config config,
        double seconds,
        double p50Ms,
        double p99Ms,
        long heapMb,
        long liveMb,
        boolean verified,
        String note) {

    public static Result of(Config config, long nanos, boolean verified, String note) {
        return new Result(config, nanos / 1e9, Double.NaN, Double.NaN, 0, 0, verified, note);
    }

    public static Result failed(Config config, String error) {
        return new Result(config, Double.NaN, Double.NaN, Double.NaN, 0, 0, false, error);
    }

    public Result withLatency(double p50Ms, double p99Ms) {
        return new Result(config, seconds, p50Ms, p99Ms, heapMb, liveMb, verified, note);
    }

    public Result withHeap(long heapMb, long liveMb) {
        return new Result(config, seconds, p50Ms, p99Ms, heapMb, liveMb, verified, note);
    }

    public String line() {
        double rate = config.n() / seconds;
        return String.format(
                Locale.ROOT,
                "RESULT engine=%s db=%s workload=%s variant=%s n=%d seconds=%.3f rate=%.1f p50=%.3f p99=%.3f"
                        + " heapMb=%d liveMb=%d cpuMs=%d verified=%s note=%s",
                config.engine(),
                config.db(),
                config.workload(),
                config.variant(),
                config.n(),
                seconds,
                rate,
                p50Ms,
                p99Ms,
                heapMb,
                liveMb,
                Measurement.lastCpuMillis,
                verified,
                note == null || note.isBlank() ? "-" : note.replaceAll("\\s+", "_"));
    }
}
