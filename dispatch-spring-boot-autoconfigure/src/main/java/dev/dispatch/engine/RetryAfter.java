package dev.dispatch.engine;

import dev.dispatch.ThrottledException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The least time a failed attempt's resource asked the next one to wait: a {@link ThrottledException}'s {@code
 * retryAfter}, or the {@code Retry-After} header of an HTTP 429 or 503 response (seconds, or an HTTP-date), the first
 * found along the cause chain.
 */
final class RetryAfter {

    static final String HEADER = "Retry-After";

    private RetryAfter() {}

    /** What the failure asked for, or {@code null} when it said nothing (or something unreadable). */
    static @Nullable Duration of(Throwable failure, Instant now) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof ThrottledException throttled
                    && throttled.retryAfter().isPresent()) {
                return throttled.retryAfter().get();
            }
            Duration asked = fromHeader(t, now);
            if (asked != null) {
                return asked;
            }
        }
        return null;
    }

    /** Whether {@code t} is an HTTP 429 or 503 response that says when to retry. */
    static boolean isHttpRetryAfter(Throwable t) {
        Integer status = HttpFailures.status(t);
        return status != null && (status == 429 || status == 503) && HttpFailures.header(t, HEADER) != null;
    }

    private static @Nullable Duration fromHeader(Throwable t, Instant now) {
        Integer status = HttpFailures.status(t);
        if (status == null || (status != 429 && status != 503)) {
            return null;
        }
        String value = HttpFailures.header(t, HEADER);
        return (value != null) ? parse(value, now) : null;
    }

    /** A {@code Retry-After} value: delay-seconds or an HTTP-date; {@code null} when it is neither. */
    static @Nullable Duration parse(String value, Instant now) {
        String text = value.trim();
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(text));
            } catch (NumberFormatException ex) {
                return null; // more digits than a long: not a delay anyone means
            }
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            Duration wait = Duration.between(now, at);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException ex) {
            return null;
        }
    }
}
