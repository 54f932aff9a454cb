package com.example.shop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/** Functions that keep running after they lost their hold on their call: code that swallows interrupts. */
@Service
public class Guarded {

    private final Map<String, Gate> gates = new ConcurrentHashMap<>();

    private final Ledger ledger;

    private final Dispatcher dispatcher;

    private final Operations operations;

    private final Guarded self;

    public Guarded(Ledger ledger, Dispatcher dispatcher, @Lazy Operations operations, @Lazy Guarded self) {
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.operations = operations;
        this.self = self;
    }

    /** Passes its gate. */
    @DispatchFunction
    public String gated(String key) {
        gate(key).pass();
        return "passed " + key;
    }

    /** A keyed dispatch, then a step that waits at a gate: the test purges the keyed call meanwhile. */
    @DispatchFunction(maxAttempts = 1)
    public String keyedThenGated(String key) {
        DispatchId keyed = this.dispatcher.dispatch(
                () -> this.operations.square(3), dev.dispatch.DispatchOptions.idempotencyKey("keyed:" + key));
        List<String> passed = this.dispatcher.gather(List.of(key), this.self::gated);
        return keyed.value() + " " + passed;
    }

    /** A gate a function waits at until the test opens it. */
    public Gate gate(String key) {
        return this.gates.computeIfAbsent(key, k -> new Gate());
    }

    /** Waits at its gate, ignoring interrupts (a cancellation), then records a batch. */
    @DispatchFunction(maxAttempts = 1)
    public List<DispatchId> batchAfterGate(String key) {
        gate(key).pass();
        try {
            return this.dispatcher.batch().add(() -> this.operations.square(7)).dispatch();
        } finally {
            this.ledger.succeeded("after:" + key);
        }
    }

    /** Waits at its gate, ignoring interrupts, then sleeps durably. */
    @DispatchFunction(maxAttempts = 1)
    public void sleepAfterGate(String key) {
        gate(key).pass();
        try {
            this.dispatcher.sleep(java.time.Duration.ofMillis(1));
        } finally {
            this.ledger.succeeded("after:" + key);
        }
    }

    /** Where a function waits: {@link #arrived} once it is there, {@link #open} lets it through. */
    public static final class Gate {

        public final CountDownLatch arrived = new CountDownLatch(1);

        public final CountDownLatch open = new CountDownLatch(1);

        void pass() {
            this.arrived.countDown();
            while (true) {
                try {
                    this.open.await();
                    return;
                } catch (InterruptedException ex) {
                    // swallowed on purpose: code that does not stop when cancelled
                }
            }
        }
    }
}
