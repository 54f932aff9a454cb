package com.example.shop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.PermanentFailureException;
import org.springframework.stereotype.Service;

/** Fails with an error text no database should take as it is. */
@Service
public class Noisy {

    /** A NUL character (PostgreSQL refuses it in text) and a megabyte of message. */
    @DispatchFunction(maxAttempts = 1)
    public void shout() {
        throw new PermanentFailureException("bad\u0000input\u0007 " + "x".repeat(1_000_000));
    }
}
