package com.example.shop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import dev.dispatch.TemporaryFailureException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/** A parent that breaks the determinism rule: its durable call depends on a counter outside the record. */
@Service
public class Replays {

    private final AtomicInteger counter = new AtomicInteger();

    private final AtomicInteger signalling = new AtomicInteger();

    private final AtomicInteger gathering = new AtomicInteger();

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

    /** Gathers one call at step 0 on its first attempt; its replay gathers none there (a step that records nothing). */
    @DispatchFunction(initialBackoff = "5ms")
    public int gathersNoneWhereItGatheredOne() {
        List<Integer> inputs = (this.gathering.incrementAndGet() == 1) ? List.of(3) : List.of();
        List<Integer> sums = this.dispatcher.gather(inputs, n -> this.calculator.add(n, 4));
        if (this.gathering.get() == 1) {
            throw new TemporaryFailureException("fail once so that the parent replays");
        }
        return sums.size();
    }
}
