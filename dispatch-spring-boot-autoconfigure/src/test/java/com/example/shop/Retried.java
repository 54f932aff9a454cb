package com.example.shop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import dev.dispatch.PermanentFailureException;
import java.util.List;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/** Parents an operator retries after their children failed for good. */
@Service
public class Retried {

    private final Ledger ledger;

    private final Dispatcher dispatcher;

    private final Retried self;

    public Retried(Ledger ledger, Dispatcher dispatcher, @Lazy Retried self) {
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.self = self;
    }

    /** A direct call, then a gather whose call may fail for good. */
    @DispatchFunction(maxAttempts = 1)
    public String callThenGather(String key) {
        int counted = this.self.count(key);
        List<String> gathered = this.dispatcher.gather(List.of(key + ":b"), this.self::fragile);
        return counted + " " + gathered;
    }

    /** A gather of three calls, any of which may fail for good. */
    @DispatchFunction(maxAttempts = 1)
    public List<String> gatherThree(String key) {
        return this.dispatcher.gather(List.of(key + ":x", key + ":y", key + ":z"), this.self::fragile);
    }

    /** The first of two calls to succeed, either of which may fail for good. */
    @DispatchFunction(maxAttempts = 1)
    public String anyOfTwo(String key) {
        return this.dispatcher.any(List.of(() -> this.self.fragile(key + ":x"), () -> this.self.fragile(key + ":y")));
    }

    /** The first of two calls to finish, either of which may fail for good. */
    @DispatchFunction(maxAttempts = 1)
    public String raceOfTwo(String key) {
        return this.dispatcher.race(List.of(() -> this.self.fragile(key + ":x"), () -> this.self.fragile(key + ":y")));
    }

    /** A gather of one call that may fail for good, and waits at its gate when it does not. */
    @DispatchFunction(maxAttempts = 1)
    public List<String> gatherGated(String key) {
        return this.dispatcher.gather(List.of(key + ":g"), this.self::gated);
    }

    /** Fails for good while the ledger plans failures for it; otherwise waits at its gate, then succeeds. */
    @DispatchFunction(maxAttempts = 1)
    public String gated(String key) {
        if (this.ledger.run("gated:" + key)) {
            throw new PermanentFailureException(key + " is broken");
        }
        this.ledger.passGate(key);
        return "ok " + key;
    }

    /** Counts its runs: a side effect that must not happen twice. */
    @DispatchFunction
    public int count(String key) {
        this.ledger.run("count:" + key);
        return this.ledger.runs("count:" + key);
    }

    /** Fails for good while the ledger plans failures for it. */
    @DispatchFunction(maxAttempts = 1)
    public String fragile(String key) {
        if (this.ledger.run("fragile:" + key)) {
            throw new PermanentFailureException(key + " is broken");
        }
        return "ok " + key;
    }
}
