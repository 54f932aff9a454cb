package com.example.nodes;

import com.example.support.EffectLog;
import dev.dispatch.DispatchFunction;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/** The function every node has: writes START, works a few milliseconds, writes DONE. */
@Service
public class Work {

    static final String NAME = "nodes.work";

    private final EffectLog.Writer log;

    private final int minMillis;

    private final int maxMillis;

    public Work(
            EffectLog.Writer log,
            @Value("${nodes.work-min-millis:5}") int minMillis,
            @Value("${nodes.work-max-millis:20}") int maxMillis) {
        this.log = log;
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
    }

    // a call taken over from a dead node counts a failed attempt: retry it without the default 200 ms backoff
    @DispatchFunction(name = NAME, initialBackoff = "10ms")
    public void apply(int key) {
        this.log.start(NAME, key);
        sleep(this.minMillis + key % (this.maxMillis - this.minMillis + 1));
        this.log.done(NAME, key);
    }

    static void sleep(long millis) {
        try {
            // stands for a call that takes time: the test needs it running, not a delay to wait out
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted at work", ex);
        }
    }
}
