package com.example.faults.stuck;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;

/**
 * User code that does not stop when told: the first attempt of {@link #neverReturns} loops until the test releases
 * it, swallowing every interrupt (its timeout's included); later attempts return at once. {@link #quick} is the
 * other work that must not wait for it.
 */
@Service
public class Stubborn {

    static final String NEVER_RETURNS = "stuck.neverReturns";

    static final String QUICK = "stuck.quick";

    private final Dispatcher dispatcher;

    private volatile boolean released;

    private final Set<Integer> stuck = ConcurrentHashMap.newKeySet();

    private final Map<Integer, AtomicInteger> swallowed = new ConcurrentHashMap<>();

    public Stubborn(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @DispatchFunction(name = NEVER_RETURNS, timeout = "300ms", initialBackoff = "10ms")
    public String neverReturns(int key) {
        if (this.dispatcher.current().orElseThrow().attempt() == 1) {
            this.stuck.add(key);
            while (!this.released) {
                try {
                    // waits for the test to release it: the call must stay stuck until then
                    Thread.sleep(20);
                } catch (InterruptedException ex) {
                    this.swallowed
                            .computeIfAbsent(key, k -> new AtomicInteger())
                            .incrementAndGet();
                }
            }
        }
        return "returned " + key;
    }

    @DispatchFunction(name = QUICK)
    public int quick(int key) {
        return key;
    }

    /** Whether the first attempt of {@code key} is looping and has swallowed an interrupt (its timeout fired). */
    boolean isStuckPastItsTimeout(int key) {
        AtomicInteger interrupts = this.swallowed.get(key);
        return this.stuck.contains(key) && interrupts != null && interrupts.get() > 0;
    }

    /** Lets every stuck attempt return. */
    void release() {
        this.released = true;
    }

    void reset() {
        this.released = false;
        this.stuck.clear();
        this.swallowed.clear();
    }
}
