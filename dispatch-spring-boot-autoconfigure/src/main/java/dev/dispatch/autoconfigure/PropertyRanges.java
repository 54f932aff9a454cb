package dev.dispatch.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.validation.Errors;

/**
 * The allowed range of each setting, checked when the properties are bound: the properties classes validate
 * themselves (Boot calls a {@code @ConfigurationProperties} bean that is a {@link org.springframework.validation
 * Validator}), so the checks run whether or not the application has a Bean Validation provider. A field that another
 * validator already rejected is not reported twice.
 */
final class PropertyRanges {

    private final Errors errors;

    PropertyRanges(Errors errors) {
        this.errors = errors;
    }

    PropertyRanges between(String field, long value, long min, long max) {
        if (value < min || value > max) {
            reject(field, "must be between " + min + " and " + max);
        }
        return this;
    }

    PropertyRanges atLeast(String field, long value, long min) {
        if (value < min) {
            reject(field, "must be at least " + min);
        }
        return this;
    }

    PropertyRanges atLeast(String field, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            reject(field, "must be a finite number of at least " + min);
        }
        return this;
    }

    PropertyRanges positive(String field, @Nullable Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            reject(field, "must be a positive duration (e.g. 500ms, 2s)");
        }
        return this;
    }

    PropertyRanges notNegative(String field, @Nullable Duration value) {
        if (value == null || value.isNegative()) {
            reject(field, "must be zero or a positive duration");
        }
        return this;
    }

    PropertyRanges atLeast(String field, @Nullable Duration value, Duration min, String why) {
        if (value == null || value.compareTo(min) < 0) {
            reject(field, "must be at least " + print(min) + " (" + why + ")");
        }
        return this;
    }

    PropertyRanges maxLength(String field, @Nullable String value, int max, String why) {
        if (value != null && value.length() > max) {
            reject(field, "must be at most " + max + " characters (" + why + "), not " + value.length());
        }
        return this;
    }

    /** A value as it would be written in application.properties: durations in their largest exact unit. */
    static String print(@Nullable Object value) {
        if (value instanceof Duration duration) {
            for (ChronoUnit unit :
                    new ChronoUnit[] {ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES, ChronoUnit.SECONDS}) {
                if (!duration.isZero()
                        && duration.toMillis() % unit.getDuration().toMillis() == 0) {
                    return DurationStyle.SIMPLE.print(duration, unit);
                }
            }
            return DurationStyle.SIMPLE.print(duration, ChronoUnit.MILLIS);
        }
        return String.valueOf(value);
    }

    void reject(String field, String message) {
        if (!this.errors.hasFieldErrors(field)) {
            this.errors.rejectValue(field, "dispatch.range", message);
        }
    }
}
