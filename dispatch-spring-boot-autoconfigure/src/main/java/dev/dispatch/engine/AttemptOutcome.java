package dev.dispatch.engine;

import java.util.Locale;

/** How an attempt ended, as the {@code outcome} tag of metrics and observations says it. */
public enum AttemptOutcome {
    /** The invocation succeeded. */
    SUCCESS,
    /** The attempt failed and another is scheduled. */
    RETRY,
    /** The invocation failed for good. */
    FAILURE,
    /** The invocation waits, without a thread, for the calls it awaits. */
    SUSPENDED,
    /** This node no longer held the invocation (cancelled, or taken over after its lease expired). */
    ABANDONED;

    /** The tag value: the name in lower case. */
    public String tagValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
