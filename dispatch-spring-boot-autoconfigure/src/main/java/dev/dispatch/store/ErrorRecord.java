package dev.dispatch.store;

import org.jspecify.annotations.Nullable;

/**
 * An attempt's error as recorded.
 *
 * @param type class name of the exception
 * @param message its message
 * @param status the classification's name
 * @param stack its stack trace, trimmed
 */
public record ErrorRecord(
        String type,
        @Nullable String message,
        String status,
        @Nullable String stack) {}
