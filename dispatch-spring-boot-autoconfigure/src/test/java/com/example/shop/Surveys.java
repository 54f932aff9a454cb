package com.example.shop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import dev.dispatch.TemporaryFailureException;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/** Work that takes longer than its deadline allows: fan-outs of questions that hang, retries, naps. */
@Service
public class Surveys {

    private final Dispatcher dispatcher;

    private final Ledger ledger;

    private final Surveys self;

    public Surveys(Dispatcher dispatcher, Ledger ledger, @Lazy Surveys self) {
        this.dispatcher = dispatcher;
        this.ledger = ledger;
        this.self = self;
    }

    /** Asks {@code size} questions at once and waits for every answer. */
    @DispatchFunction
    public List<String> survey(String key, int size) {
        return this.dispatcher.gather(IntStream.range(0, size).boxed().toList(), i -> this.self.ask(key, i));
    }

    /** A question nobody answers: hangs until interrupted, says so in the ledger, and fails. */
    @DispatchFunction(timeout = "0s")
    public String ask(String key, int question) {
        this.ledger.run("ask:" + key + ":" + question);
        return hang(key + ":" + question);
    }

    /** Fails at first; its retry is due long after the deadline its callers give it. */
    @DispatchFunction(initialBackoff = "4s", maxAttempts = 5)
    public String flaky(String key) {
        if (this.ledger.run("flaky:" + key)) {
            throw new TemporaryFailureException("not yet");
        }
        return "fine " + key;
    }

    /** Naps, then asks one question. */
    @DispatchFunction
    public String napThenAsk(String key, long millis) {
        this.ledger.run("before-nap:" + key);
        this.dispatcher.sleep(Duration.ofMillis(millis));
        return this.self.ask(key, 0);
    }

    /** A function whose roots have a deadline of their own. */
    @DispatchFunction(deadline = "1s", timeout = "0s")
    public String hurried(String key) {
        this.ledger.run("hurried:" + key);
        return hang(key);
    }

    private String hang(String key) {
        try {
            // holds the call running until it is cancelled, timed out or its node killed
            Thread.sleep(60_000);
        } catch (InterruptedException ex) {
            this.ledger.run("interrupted:" + key);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an answer to " + key, ex);
        }
        return "answered " + key;
    }
}
