package com.example.shop;

import dev.dispatch.DispatchFunction;
import org.springframework.stereotype.Service;

/** A function whose first attempt hangs past its time limit. */
@Service
public class Slow {

    private final Ledger ledger;

    public Slow(Ledger ledger) {
        this.ledger = ledger;
    }

    @DispatchFunction(timeout = "200ms", initialBackoff = "5ms")
    public String hangOnce(String key) {
        if (this.ledger.run("hang:" + key)) {
            try {
                // holds the call running until it is cancelled, timed out or its node killed
                Thread.sleep(60_000);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while hanging", ex);
            }
        }
        return "done " + key;
    }
}
