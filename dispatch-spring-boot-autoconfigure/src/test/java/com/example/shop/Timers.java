package com.example.shop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.DispatchId;
import dev.dispatch.DispatchOptions;
import dev.dispatch.Dispatcher;
import java.time.Duration;
import org.springframework.stereotype.Service;

/** Durable sleeps, delayed and keyed dispatches. */
@Service
public class Timers {

    private final Dispatcher dispatcher;

    private final Ledger ledger;

    private final Calculator calculator;

    public Timers(Dispatcher dispatcher, Ledger ledger, Calculator calculator) {
        this.dispatcher = dispatcher;
        this.ledger = ledger;
        this.calculator = calculator;
    }

    /** Naps, then adds: the code before the nap runs again on resume, the durable call after it once. */
    @DispatchFunction
    public int napThenAdd(String key, long millis) {
        this.ledger.run("before-nap:" + key);
        this.dispatcher.sleep(Duration.ofMillis(millis));
        return this.calculator.add(key.length(), 1);
    }

    /** Dispatches a keyed call: however many parents do so, one call exists. */
    @DispatchFunction
    public String dispatchKeyed(String key) {
        DispatchId id = this.dispatcher.dispatch(() -> this.calculator.add(7, 7), DispatchOptions.idempotencyKey(key));
        return id.value();
    }
}
