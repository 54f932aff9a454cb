package dev.dispatch.actuate;

import org.jspecify.annotations.Nullable;

/** Texts shown in responses, cut to a bounded size: one huge error message must not make every list huge. */
final class Bounded {

    /** Longest error message shown in a list or an invocation. */
    static final int MESSAGE_CHARS = 1_000;

    /** Longest stack trace shown in an invocation. */
    static final int STACK_CHARS = 8_000;

    private Bounded() {}

    static @Nullable String text(@Nullable String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "... (" + (text.length() - max) + " more characters)";
    }
}
