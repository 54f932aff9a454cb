package com.example.shop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/** Roots that fan out to calls that take a little time each: a large one and a small one share the workers. */
@Service
public class Fairness {

    private static final Map<String, AtomicInteger> DONE = new ConcurrentHashMap<>();

    private final Dispatcher dispatcher;

    private final Fairness self;

    public Fairness(Dispatcher dispatcher, @Lazy Fairness self) {
        this.dispatcher = dispatcher;
        this.self = self;
    }

    /** Gathers {@code size} items of the group, each taking {@code millis}. */
    @DispatchFunction
    public int fanOut(String group, int size, long millis) {
        return this.dispatcher
                .gather(IntStream.range(0, size).boxed().toList(), i -> this.self.item(group, i, millis))
                .size();
    }

    @DispatchFunction
    public int item(String group, int index, long millis) {
        try {
            // stands for a call that takes time, so that the large fan-out keeps the workers busy for a while
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        DONE.computeIfAbsent(group, g -> new AtomicInteger()).incrementAndGet();
        return index;
    }

    /** How many items of the group finished. */
    public static int done(String group) {
        AtomicInteger done = DONE.get(group);
        return (done != null) ? done.get() : 0;
    }
}
