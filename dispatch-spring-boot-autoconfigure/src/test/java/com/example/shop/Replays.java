package com.example.shop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import dev.dispatch.TemporaryFailureException;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/** A parent that breaks the determinism rule: its durable call depends on a counter outside the record. */
@Service
public class Replays {

    private final AtomicInteger counter = new AtomicInteger();

    private final AtomicInteger signalling = new AtomicInteger();

    private final Calculator calculator;

    private final Replays self;

    private final Dispatcher dispatcher;

    public Replays(Calculator calculator, @Lazy Replays self, Dispatcher dispatcher) {
        this.calculator = calculator;
        this.self = self;
        this.dispatcher = dispatcher;
    }

    @DispatchFunction(initialBackoff = "5ms")
    public int nonDeterministic() {
        int value = this.calculator.add(this.counter.incrementAndGet(), 0);
        if (value == 1) {
            throw new TemporaryFailureException("fail once so that the parent replays");
        }
        return value;
    }

    /** Calls at step 0 on its first attempt; its replay sends a signal there instead (a step that records no call). */
    @DispatchFunction(initialBackoff = "5ms")
    public int signalsWhereItCalled() {
        if (this.signalling.incrementAndGet() == 1) {
            this.calculator.add(1, 2);
            throw new TemporaryFailureException("fail once so that the parent replays");
        }
        this.dispatcher.signal("replays:signalled", "instead");
        return 0;
    }
}
