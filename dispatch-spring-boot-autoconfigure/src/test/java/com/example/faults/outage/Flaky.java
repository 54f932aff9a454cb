package com.example.faults.outage;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/** Calls that count their runs; one of them takes the database down as it returns. */
@Service
public class Flaky {

    private final SwitchableDataSource database;

    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    private final Map<String, AtomicInteger> returned = new ConcurrentHashMap<>();

    private final Dispatcher dispatcher;

    private final Flaky self;

    public Flaky(SwitchableDataSource database, Dispatcher dispatcher, @Lazy Flaky self) {
        this.database = database;
        this.dispatcher = dispatcher;
        this.self = self;
    }

    /**
     * Its first attempt takes the database down as it records a gather, and falls back on any runtime exception: a
     * fallback that must never be taken for a step that could not be recorded.
     */
    @DispatchFunction(name = "outage.gatherOrFallBack", initialBackoff = "10ms", maxAttempts = 5)
    public String gatherOrFallBack(String key) {
        int run = count(this.runs, "fallback:" + key);
        if (run == 1) {
            this.database.down();
        }
        try {
            return "gathered " + this.dispatcher.gather(List.of(1), this.self::work);
        } catch (RuntimeException ex) {
            count(this.returned, "fell back:" + key);
            return "fell back on " + ex;
        } finally {
            if (run == 1) {
                this.database.up();
            }
        }
    }

    /** The database goes away while the first attempt runs: its outcome cannot be recorded. */
    @DispatchFunction(name = "outage.cutOffOnReturn", initialBackoff = "10ms")
    public String cutOffOnReturn(String key) {
        int run = count(this.runs, key);
        if (run == 1) {
            this.database.down();
        }
        count(this.returned, key);
        return "done " + key;
    }

    @DispatchFunction(name = "outage.work", initialBackoff = "10ms", maxAttempts = 10)
    public int work(int key) {
        count(this.runs, "work:" + key);
        try {
            // stands for a call that takes time: the test needs it running, not a delay to wait out
            Thread.sleep(10 + key % 20);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted at work", ex);
        }
        count(this.returned, "work:" + key);
        return key;
    }

    int runs(String key) {
        AtomicInteger count = this.runs.get(key);
        return count != null ? count.get() : 0;
    }

    int returned(String key) {
        AtomicInteger count = this.returned.get(key);
        return count != null ? count.get() : 0;
    }

    private static int count(Map<String, AtomicInteger> counts, String key) {
        return counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }
}
