package com.example.faults.outage;

import dev.dispatch.DispatchFunction;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;

/** Calls that count their runs; one of them takes the database down as it returns. */
@Service
public class Flaky {

    private final SwitchableDataSource database;

    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    private final Map<String, AtomicInteger> returned = new ConcurrentHashMap<>();

    public Flaky(SwitchableDataSource database) {
        this.database = database;
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
