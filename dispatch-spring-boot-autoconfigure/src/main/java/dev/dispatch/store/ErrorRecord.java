package dev.dispatch.store;

import org.jspecify.annotations.Nullable;

/**
 * An attempt's error as recorded: bounded and cleaned, whatever the exception carried, so that no database rejects it
 * (PostgreSQL refuses a NUL character in text) and no listing carries a megabyte of message.
 *
 * @param type class name of the exception, at most {@value #MAX_TYPE} characters
 * @param message its message, at most {@value #MAX_MESSAGE} characters, without control characters other than line
 *     breaks and tabs
 * @param status the classification's name
 * @param stack its stack trace, at most {@value #MAX_STACK} characters, cleaned like the message
 */
public record ErrorRecord(
        String type,
        @Nullable String message,
        String status,
        @Nullable String stack) {

    /** Longest class name kept. */
    public static final int MAX_TYPE = 255;

    /** Longest message kept (8 KB of characters). */
    public static final int MAX_MESSAGE = 8 * 1024;

    /** Longest stack trace kept (16 KB of characters). */
    public static final int MAX_STACK = 16 * 1024;

    public ErrorRecord {
        type = clean(type, MAX_TYPE);
        message = (message != null) ? clean(message, MAX_MESSAGE) : null;
        stack = (stack != null) ? clean(stack, MAX_STACK) : null;
    }

    /**
     * The text without NUL and other control characters (line breaks and tabs stay), cut to {@code max} characters
     * with a marker saying so.
     */
    public static String clean(String text, int max) {
        StringBuilder cleaned = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) && c != '\n' && c != '\t';
            if (control && cleaned == null) {
                cleaned = new StringBuilder(text.length()).append(text, 0, i);
            } else if (!control && cleaned != null) {
                cleaned.append(c);
            }
        }
        String result = (cleaned != null) ? cleaned.toString() : text;
        if (result.length() <= max) {
            return result;
        }
        String marker = "... (" + (result.length() - max) + " more characters)";
        int cut = max - marker.length();
        if (cut > 0 && Character.isHighSurrogate(result.charAt(cut - 1))) {
            cut--;
        }
        return result.substring(0, Math.max(0, cut)) + marker;
    }
}
