package com.example.shop;

import dev.dispatch.DispatchFunction;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Functions with concurrency keys: a crawler that fetches at most so many pages at once per domain. What runs at once
 * is counted per group and per group and domain in static counters, so that several nodes (Spring contexts) in one JVM
 * count together.
 */
@Service
public class Crawler {

    private static final Map<String, AtomicInteger> RUNNING = new ConcurrentHashMap<>();

    private static final Map<String, AtomicInteger> MOST_RUNNING = new ConcurrentHashMap<>();

    private static final Map<String, AtomicInteger> RUNS_BY_NODE = new ConcurrentHashMap<>();

    private static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

    private final String node;

    public Crawler(@Value("${dispatch.node-id:local}") String node) {
        this.node = node;
    }

    /** A page to fetch; its domain is the key. */
    public record Page(@Nullable String domain, String path) {}

    /** At most two pages of a domain at once, across all nodes. */
    @DispatchFunction(concurrencyKey = "#p0.domain", concurrencyPerKey = 2)
    public String fetch(Page page, String group) {
        work(group, page, 100);
        return page.path();
    }

    /** At most two pages of a domain at once, and three in all. */
    @DispatchFunction(concurrencyKey = "#page.domain", concurrencyPerKey = 2, concurrency = 3)
    public String fetchCapped(Page page, String group) {
        work(group, page, 100);
        return page.path();
    }

    /** One page of a domain at once; a page without a domain has no key. */
    @DispatchFunction(concurrencyKey = "#a0.domain", concurrencyPerKey = 1)
    public String fetchOne(Page page, String group) {
        work(group, page, 100);
        return page.path();
    }

    /** One page of a domain at once, each held until its gate opens (30 s at most). */
    @DispatchFunction(concurrencyKey = "#page.domain", concurrencyPerKey = 1)
    public String fetchHeld(Page page, String gate) {
        try {
            gate(gate).await(30, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return page.path();
    }

    /** Lets the calls held at the gate finish. */
    public static void open(String gate) {
        gate(gate).countDown();
    }

    private static CountDownLatch gate(String gate) {
        return GATES.computeIfAbsent(gate, g -> new CountDownLatch(1));
    }

    /** The most calls of the group that ran at once, whatever their domain. */
    public static int mostRunning(String group) {
        AtomicInteger most = MOST_RUNNING.get(group);
        return (most != null) ? most.get() : 0;
    }

    /** The most calls of the group for one domain that ran at once. */
    public static int mostRunning(String group, @Nullable String domain) {
        return mostRunning(group + "/" + domain);
    }

    /** How many calls of the group ran on a node. */
    public static int runsOn(String group, String node) {
        AtomicInteger runs = RUNS_BY_NODE.get(group + "@" + node);
        return (runs != null) ? runs.get() : 0;
    }

    private void work(String group, Page page, long millis) {
        RUNS_BY_NODE
                .computeIfAbsent(group + "@" + this.node, g -> new AtomicInteger())
                .incrementAndGet();
        String perDomain = group + "/" + page.domain();
        enter(group);
        enter(perDomain);
        try {
            // stands for a fetch that takes time: the test needs it running, not a delay to wait out
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } finally {
            RUNNING.get(perDomain).decrementAndGet();
            RUNNING.get(group).decrementAndGet();
        }
    }

    private static void enter(String counter) {
        int now = RUNNING.computeIfAbsent(counter, g -> new AtomicInteger()).incrementAndGet();
        MOST_RUNNING.computeIfAbsent(counter, g -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    }
}
