package com.example.shop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import dev.dispatch.PermanentFailureException;
import java.util.List;
import java.util.stream.IntStream;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/** Functions an operator inspects, retries and cancels through the actuator endpoint. */
@Service
public class Operations {

    private final Ledger ledger;

    private final Dispatcher dispatcher;

    private final Operations self;

    public Operations(Ledger ledger, Dispatcher dispatcher, @Lazy Operations self) {
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.self = self;
    }

    /** Fails for good while the ledger says so; an operator retries it once the cause is fixed. */
    @DispatchFunction
    public String importFile(String name) {
        if (this.ledger.run("import:" + name)) {
            throw new PermanentFailureException("file " + name + " is not readable");
        }
        return "imported " + name;
    }

    /** What a log line of this attempt carries in its MDC. */
    @DispatchFunction
    public String logContext() {
        return org.slf4j.MDC.get("dispatch.invocation") + " " + org.slf4j.MDC.get("dispatch.function") + " "
                + org.slf4j.MDC.get("dispatch.attempt") + " "
                + this.dispatcher.current().orElseThrow().id();
    }

    /** Gathers {@code size} squares: a step with many children. */
    @DispatchFunction
    public int sumOfSquares(int size) {
        return this.dispatcher.gather(IntStream.range(0, size).boxed().toList(), this.self::square).stream()
                .mapToInt(Integer::intValue)
                .sum();
    }

    @DispatchFunction
    public int square(int value) {
        return value * value;
    }

    /** Waits for children that wait a long time: something to cancel. */
    @DispatchFunction
    public List<String> waitForSlowChildren(int count) {
        return this.dispatcher.gather(IntStream.range(0, count).boxed().toList(), this.self::slow);
    }

    @DispatchFunction(timeout = "0s")
    public String slow(int index) {
        try {
            // holds the call running until it is cancelled, timed out or its node killed
            Thread.sleep(60_000);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return "slow " + index;
    }
}
