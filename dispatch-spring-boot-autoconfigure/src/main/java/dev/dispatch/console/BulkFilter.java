package dev.dispatch.console;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The invocations a bulk action applies to: "every FAILED call of function X since T". A retry selects FAILED
 * invocations that finished since then; a cancel selects unfinished ones created since then.
 *
 * @param action {@code retry} or {@code cancel}
 * @param function only invocations of this function (all functions when null)
 * @param errorType only invocations whose last error has this type (a retry's filter)
 * @param since only invocations that finished (retry) or were created (cancel) at or after this time
 */
record BulkFilter(
        String action,
        @Nullable String function,
        @Nullable String errorType,
        @Nullable Instant since) {

    static final String RETRY = "retry";

    static final String CANCEL = "cancel";

    boolean retry() {
        return RETRY.equals(this.action);
    }
}
