package dev.dispatch;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * The id of an invocation (a UUID string); written as a plain JSON string.
 *
 * @param value the id as stored
 */
public record DispatchId(@JsonValue String value) {

    /** Checks the id is present. */
    public DispatchId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("A dispatch id must not be blank");
        }
    }

    /** The id from its string form. */
    @JsonCreator
    public static DispatchId of(String value) {
        return new DispatchId(value);
    }

    @Override
    public String toString() {
        return this.value;
    }
}
