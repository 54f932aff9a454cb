package com.example.shop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.TemporaryFailureException;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/** A parent that breaks the determinism rule: its durable call depends on a counter outside the record. */
@Service
public class Replays {

    private final AtomicInteger counter = new AtomicInteger();

    private final Calculator calculator;

    private final Replays self;

    public Replays(Calculator calculator, @Lazy Replays self) {
        this.calculator = calculator;
        this.self = self;
    }

    @DispatchFunction(initialBackoff = "5ms")
    public int nonDeterministic() {
        int value = this.calculator.add(this.counter.incrementAndGet(), 0);
        if (value == 1) {
            throw new TemporaryFailureException("fail once so that the parent replays");
        }
        return value;
    }
}
