package com.example.shop;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * What the test functions did: how many times each key ran and succeeded, and planned failures. Tests read it to
 * assert outcomes users care about (an email sent once, a step not repeated).
 */
@Component
public class Ledger {

    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    private final Map<String, AtomicInteger> successes = new ConcurrentHashMap<>();

    private final Map<String, AtomicInteger> plannedFailures = new ConcurrentHashMap<>();

    private final List<String> order = new CopyOnWriteArrayList<>();

    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

    public void reset() {
        this.gates.values().forEach(CountDownLatch::countDown);
        this.gates.clear();
        this.runs.clear();
        this.successes.clear();
        this.plannedFailures.clear();
        this.order.clear();
    }

    /** Makes the next {@code times} runs of {@code key} fail. */
    public void failNext(String key, int times) {
        this.plannedFailures.put(key, new AtomicInteger(times));
    }

    /** Counts a run; returns whether this run must fail as planned. */
    public boolean run(String key) {
        this.runs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        AtomicInteger failures = this.plannedFailures.get(key);
        return failures != null && failures.getAndDecrement() > 0;
    }

    /** Makes runs of {@code key} wait at {@link #passGate} until {@link #openGate}. */
    public void closeGate(String key) {
        this.gates.put(key, new CountDownLatch(1));
    }

    public void openGate(String key) {
        CountDownLatch gate = this.gates.remove(key);
        if (gate != null) {
            gate.countDown();
        }
    }

    /** Waits while the gate of {@code key} is closed (a minute at most), or until the run is interrupted. */
    public void passGate(String key) {
        CountDownLatch gate = this.gates.get(key);
        if (gate == null) {
            return;
        }
        try {
            gate.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    public void succeeded(String key) {
        this.successes.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        this.order.add(key);
    }

    public int runs(String key) {
        AtomicInteger count = this.runs.get(key);
        return count != null ? count.get() : 0;
    }

    public int successes(String key) {
        AtomicInteger count = this.successes.get(key);
        return count != null ? count.get() : 0;
    }

    public List<String> completionOrder() {
        return List.copyOf(this.order);
    }
}
