package dev.dispatch.console;

import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What the runs list shows: root invocations, filtered by any of status, function, creation time, error text and id.
 *
 * @param status only runs in this status
 * @param function only runs of this function
 * @param from only runs created at or after this time
 * @param to only runs created before this time
 * @param error only runs whose last error's type, or message when {@code errorInMessages}, contains this text (any case)
 * @param id only runs whose id starts with this text
 * @param before the page after this one: runs older than this position (keyset paging)
 * @param errorInMessages whether {@code error} also matches messages: not for a caller who may not see values, whom a
 *     match would tell a masked message's text one guess at a time
 */
record RunFilter(
        @Nullable String status,
        @Nullable String function,
        @Nullable Instant from,
        @Nullable Instant to,
        @Nullable String error,
        @Nullable String id,
        @Nullable Position before,
        boolean errorInMessages) {

    RunFilter {
        status = (status != null) ? status.toUpperCase(Locale.ROOT) : null;
        error = (error != null) ? error.toLowerCase(Locale.ROOT) : null;
        id = (id != null) ? id.toLowerCase(Locale.ROOT) : null;
    }

    /**
     * Where a page of runs ends: runs are listed newest first, ties broken by id.
     *
     * @param createdAt the last run's creation time
     * @param id the last run's id
     */
    record Position(Instant createdAt, String id) {

        /** Parses {@code <ISO instant>_<id>}, as {@link #toString()} writes it; null when malformed. */
        static @Nullable Position parse(@Nullable String text) {
            if (text == null) {
                return null;
            }
            int separator = text.indexOf('_');
            if (separator < 0) {
                return null;
            }
            try {
                return new Position(Instant.parse(text.substring(0, separator)), text.substring(separator + 1));
            } catch (RuntimeException ex) {
                return null;
            }
        }

        @Override
        public String toString() {
            return this.createdAt + "_" + this.id;
        }
    }
}
