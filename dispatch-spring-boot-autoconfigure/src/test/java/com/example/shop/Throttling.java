package com.example.shop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import dev.dispatch.ThrottledException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;

/**
 * Functions with concurrency limits, and functions a downstream service throttles. What runs at once is counted in
 * static counters, so that several nodes (Spring contexts) in one JVM count together.
 */
@Service
public class Throttling {

    private static final Map<String, AtomicInteger> RUNNING = new ConcurrentHashMap<>();

    private static final Map<String, AtomicInteger> MOST_RUNNING = new ConcurrentHashMap<>();

    private static final Map<String, AtomicInteger> RUNS_BY_NODE = new ConcurrentHashMap<>();

    private final Ledger ledger;

    private final Dispatcher dispatcher;

    private final Throttling self;

    private final String node;

    private final RestClient http = RestClient.create();

    public Throttling(
            Ledger ledger,
            Dispatcher dispatcher,
            @Lazy Throttling self,
            @Value("${dispatch.node-id:local}") String node) {
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.self = self;
        this.node = node;
    }

    /** At most two at once, whoever calls and however. */
    @DispatchFunction(concurrency = 2)
    public int limited(String group, int index) {
        work(group, 100);
        return index;
    }

    /** Gathers {@code size} limited calls. */
    @DispatchFunction
    public List<Integer> fanOut(String group, int size) {
        return this.dispatcher.gather(IntStream.range(0, size).boxed().toList(), i -> this.self.limited(group, i));
    }

    /** Calls the limited function directly, one call after another: they wait for a slot, never run inline. */
    @DispatchFunction
    public int chain(String group, int size) {
        int sum = 0;
        for (int i = 0; i < size; i++) {
            sum += this.self.limited(group, i);
        }
        return sum;
    }

    /** One at a time, calling itself: a caller waiting for its call holds no slot. */
    @DispatchFunction(concurrency = 1)
    public int nested(int depth) {
        return (depth == 0) ? 0 : 1 + this.self.nested(depth - 1);
    }

    /** Throttled when asked to, else works a while; four at once at most. */
    @DispatchFunction(concurrency = 4, initialBackoff = "10ms", maxAttempts = 3)
    public String pressured(String group, boolean throttle) {
        if (throttle) {
            throw new ThrottledException("slow down");
        }
        work(group, 150);
        return "done";
    }

    /** Calls a service that answers 429 Too Many Requests while the ledger says so, through Spring's RestClient. */
    @DispatchFunction(concurrency = 8, initialBackoff = "10ms", maxAttempts = 10)
    public String callBusyService(int port, String key) {
        if (this.ledger.run("busy:" + key)) {
            this.http.get().uri("http://localhost:" + port + "/busy").retrieve().toBodilessEntity();
        }
        return "served " + key;
    }

    /** No configured limit; throttled while the ledger says so. */
    @DispatchFunction(initialBackoff = "10ms", maxAttempts = 5)
    public String unlimited(String key) {
        if (this.ledger.run("unlimited:" + key)) {
            throw new ThrottledException("slow down");
        }
        return "ok " + key;
    }

    /** The most calls of the group that ran at once. */
    public static int mostRunning(String group) {
        AtomicInteger most = MOST_RUNNING.get(group);
        return (most != null) ? most.get() : 0;
    }

    /** How many calls of the group ran on a node. */
    public static int runsOn(String group, String node) {
        AtomicInteger runs = RUNS_BY_NODE.get(group + "@" + node);
        return (runs != null) ? runs.get() : 0;
    }

    private void work(String group, long millis) {
        RUNS_BY_NODE
                .computeIfAbsent(group + "@" + this.node, g -> new AtomicInteger())
                .incrementAndGet();
        int now = RUNNING.computeIfAbsent(group, g -> new AtomicInteger()).incrementAndGet();
        MOST_RUNNING.computeIfAbsent(group, g -> new AtomicInteger()).accumulateAndGet(now, Math::max);
        try {
            // stands for a call that takes time: the test needs it running, not a delay to wait out
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } finally {
            RUNNING.get(group).decrementAndGet();
        }
    }
}
