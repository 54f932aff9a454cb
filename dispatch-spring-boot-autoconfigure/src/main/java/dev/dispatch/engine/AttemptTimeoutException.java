package dev.dispatch.engine;

import java.time.Duration;

/** An attempt ran past its function's time limit and was interrupted; classified as TIMEOUT and retried. */
final class AttemptTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    AttemptTimeoutException(String function, Duration timeout) {
        super("Attempt of " + function + " exceeded its timeout of " + timeout);
    }
}
