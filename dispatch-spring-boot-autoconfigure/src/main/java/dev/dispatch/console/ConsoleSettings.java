package dev.dispatch.console;

import java.time.Duration;

/**
 * How the console is served.
 *
 * @param path where it is served on the application's server, e.g. {@code /dispatch}
 * @param refreshInterval how often its pages refresh themselves
 * @param pageSize runs per page, and calls per page of a step
 * @param bulkLimit invocations one bulk action applies to at most
 */
public record ConsoleSettings(String path, Duration refreshInterval, int pageSize, int bulkLimit) {

    public ConsoleSettings {
        path = normalize(path);
        if (pageSize < 1 || bulkLimit < 1) {
            throw new IllegalArgumentException("dispatch.console.page-size and bulk-limit must be 1 or more");
        }
    }

    private static String normalize(String path) {
        String trimmed = path.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("dispatch.console.path must not be the root: the console needs a path");
        }
        return trimmed.startsWith("/") ? trimmed : "/" + trimmed;
    }
}
