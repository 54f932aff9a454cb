package dev.dispatch.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One run's outcome, printed as a single {@code RESULT key=value ...} line: the first pass of a fresh JVM (cold) and,
 * when the run had one, the second pass of the same workload in the same JVM on a fresh database (warm). A workload
 * may add measurements of its own ({@code extra}, e.g. W6's {@code smallMs}), printed after the common keys, and a
 * warm pass's with the prefix {@code warm} ({@code warmSmallMs}).
 */
public record Result(
        Config config,
        double seconds,
        double p50Ms,
        double p99Ms,
        long cpuMs,
        long heapMb,
        long liveMb,
        boolean verified,
        String note,
        Map<String, String> extra,
        Result warm) {

    /** A pass's outcome; takes the CPU time of the measurement the bench just finished, if it measured one. */
    public static Result of(Config config, long nanos, boolean verified, String note) {
        long cpu = Measurement.lastCpuMillis;
        Measurement.lastCpuMillis = -1;
        return new Result(config, nanos / 1e9, Double.NaN, Double.NaN, cpu, 0, 0, verified, note, Map.of(), null);
    }

    public static Result failed(Config config, String error) {
        return new Result(config, Double.NaN, Double.NaN, Double.NaN, -1, 0, 0, false, error, Map.of(), null);
    }

    public Result withLatency(double p50Ms, double p99Ms) {
        return new Result(config, seconds, p50Ms, p99Ms, cpuMs, heapMb, liveMb, verified, note, extra, warm);
    }

    public Result withHeap(long heapMb, long liveMb) {
        return new Result(config, seconds, p50Ms, p99Ms, cpuMs, heapMb, liveMb, verified, note, extra, warm);
    }

    /** This result with one more measurement of the workload's own, printed as {@code key=value}. */
    public Result withExtra(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(extra);
        more.put(key, value);
        return new Result(config, seconds, p50Ms, p99Ms, cpuMs, heapMb, liveMb, verified, note, more, warm);
    }

    /** This (cold) pass with the warm pass that followed it: verified only if both were. */
    public Result withWarm(Result second) {
        String notes = second.verified() ? note : note + "; warm:_" + second.note();
        return new Result(
                config,
                seconds,
                p50Ms,
                p99Ms,
                cpuMs,
                heapMb,
                liveMb,
                verified && second.verified(),
                notes,
                extra,
                second);
    }

    public String line() {
        double rate = config.n() / seconds;
        String line = String.format(
                Locale.ROOT,
                "RESULT engine=%s db=%s workload=%s variant=%s n=%d seconds=%.3f rate=%.1f p50=%.3f p99=%.3f"
                        + " heapMb=%d liveMb=%d cpuMs=%d",
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
                cpuMs);
        for (Map.Entry<String, String> e : extra.entrySet()) {
            line += " " + e.getKey() + "=" + e.getValue();
        }
        if (warm != null) {
            line += String.format(
                    Locale.ROOT,
                    " warmSeconds=%.3f warmRate=%.1f warmP50=%.3f warmP99=%.3f warmCpuMs=%d",
                    warm.seconds(),
                    config.n() / warm.seconds(),
                    warm.p50Ms(),
                    warm.p99Ms(),
                    warm.cpuMs());
            for (Map.Entry<String, String> e : warm.extra().entrySet()) {
                line += " warm" + Character.toUpperCase(e.getKey().charAt(0))
                        + e.getKey().substring(1) + "=" + e.getValue();
            }
        }
        return line + " verified=" + verified + " note="
                + (note == null || note.isBlank() ? "-" : note.replaceAll("\\s+", "_"));
    }
}
