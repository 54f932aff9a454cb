package dev.dispatch.bench;

import java.util.concurrent.atomic.AtomicIntegerArray;

/** How many times each task id ran in this JVM: every engine's tasks count here, and each must run exactly once. */
public final class Executions {

    private static volatile AtomicIntegerArray counts = new AtomicIntegerArray(0);

    private Executions() {}

    public static void reset(int n) {
        counts = new AtomicIntegerArray(n);
    }

    public static void record(int id) {
        counts.incrementAndGet(id);
    }

    /** Null when every id ran exactly once, otherwise what is wrong. */
    public static String check() {
        AtomicIntegerArray c = counts;
        int missing = 0;
        int repeated = 0;
        for (int i = 0; i < c.length(); i++) {
            int v = c.get(i);
            if (v == 0) {
                missing++;
            } else if (v > 1) {
                repeated++;
            }
        }
        return missing == 0 && repeated == 0 ? null : "missing=" + missing + ",repeated=" + repeated;
    }

    public static int executed() {
        return executed(0, counts.length());
    }

    /** How many of the ids from {@code from} (inclusive) to {@code to} (exclusive) ran. */
    public static int executed(int from, int to) {
        AtomicIntegerArray c = counts;
        int done = 0;
        for (int i = from; i < Math.min(to, c.length()); i++) {
            if (c.get(i) > 0) {
                done++;
            }
        }
        return done;
    }

    static long percentileNanos(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
