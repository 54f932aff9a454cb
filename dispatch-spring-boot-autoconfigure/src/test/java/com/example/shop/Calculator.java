package com.example.shop;

import dev.dispatch.DispatchFunction;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/** Direct calls: from outside a durable function they wait for a durable root; inside, they are durable steps. */
@Service
public class Calculator {

    private final Ledger ledger;

    private final Calculator self;

    public Calculator(Ledger ledger, @Lazy Calculator self) {
        this.ledger = ledger;
        this.self = self;
    }

    @DispatchFunction
    public int add(int a, int b) {
        this.ledger.run("add:" + a + "+" + b);
        return a + b;
    }

    @DispatchFunction(initialBackoff = "5ms")
    public int divide(int a, int b) {
        if (this.ledger.run("divide:" + a + "/" + b)) {
            throw new IllegalStateException("flaky divider");
        }
        if (b == 0) {
            throw new IllegalArgumentException("cannot divide " + a + " by zero");
        }
        return a / b;
    }

    /** A chain of awaited calls: each runs inline, so the chain needs no suspension. */
    @DispatchFunction
    public int sumTo(int n) {
        int sum = 0;
        for (int i = 1; i <= n; i++) {
            sum = this.self.add(sum, i);
        }
        return sum;
    }

    /** Divides, failing over to a default when the divisor is bad for good. */
    @DispatchFunction
    public int safeRatio(int a, int b) {
        try {
            return this.self.divide(a, b);
        } catch (dev.dispatch.CallFailedException ex) {
            return -1;
        }
    }

    /** Released by a test: {@link #slowSum} waits inline for it. */
    public static volatile CountDownLatch slowRelease = new CountDownLatch(0);

    @DispatchFunction
    public int slowAdd(int a, int b) {
        this.ledger.run("slowAdd:" + a + "+" + b);
        try {
            if (!slowRelease.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        return a + b;
    }

    /** One quick step, then one inline call that runs until the test releases it. */
    @DispatchFunction
    public int slowSum(int a, int b) {
        int first = this.self.add(a, b);
        return this.self.slowAdd(first, b);
    }
}
