package dev.dispatch.console;

import java.time.Instant;

/**
 * Calls that finished in one minute.
 *
 * @param minute the minute's start
 * @param succeeded calls that succeeded in it
 * @param failed calls that failed for good in it
 */
record MinuteCount(Instant minute, long succeeded, long failed) {}
