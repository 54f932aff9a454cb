package com.example.simulation;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** What a simulation run did, in this JVM: scenarios, faults by kind, node kills, invariant checks, violations. */
final class Totals {

    private static final AtomicLong SCENARIOS = new AtomicLong();

    private static final AtomicLong CHECKS = new AtomicLong();

    private static final AtomicLong VIOLATIONS = new AtomicLong();

    private static final Map<String, AtomicLong> FAULTS = new ConcurrentHashMap<>();

    /** {@code -Ddispatch.sim.minutes=M}: a long run starts no scenario or round after M minutes. */
    private static final long STOP_AT = System.nanoTime()
            + TimeUnit.MINUTES.toNanos(Long.getLong("dispatch.sim.minutes", TimeUnit.DAYS.toMinutes(365)));

    private Totals() {}

    /** Whether a long run may start another scenario or round. */
    static boolean timeLeft() {
        return System.nanoTime() - STOP_AT < 0;
    }

    static void scenario() {
        if (SCENARIOS.incrementAndGet() % 500 == 0) {
            // a long run shows how far it got
            System.out.println("SIMULATION progress at " + java.time.Instant.now() + ": " + report());
        }
    }

    static void fault(String kind) {
        FAULTS.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    static void checks(long count) {
        CHECKS.addAndGet(count);
    }

    static void violations(long count) {
        VIOLATIONS.addAndGet(count);
    }

    /** Prints the totals and appends them to {@code target/simulation-totals.txt}, where a long run leaves them. */
    static void print() {
        String report = report();
        System.out.println(report);
        try {
            java.nio.file.Files.writeString(
                    java.nio.file.Path.of("target", "simulation-totals.txt"),
                    java.time.Instant.now() + " " + report + "\n",
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException ex) {
            System.out.println("Could not write target/simulation-totals.txt: " + ex);
        }
    }

    static String report() {
        Map<String, Long> faults = new TreeMap<>();
        FAULTS.forEach((kind, count) -> faults.put(kind, count.get()));
        long total = faults.values().stream().mapToLong(Long::longValue).sum();
        return "SIMULATION TOTALS: scenarios=" + SCENARIOS.get() + " faults=" + total + " " + faults + " node-kills="
                + faults.getOrDefault("node-kill", 0L) + " invariant-checks=" + CHECKS.get() + " violations="
                + VIOLATIONS.get();
    }
}
