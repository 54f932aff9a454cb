package dev.dispatch.console;

import java.util.Map;

/**
 * How far a set of calls got (a run's whole tree, or one step), counted by status.
 *
 * @param total calls in all
 * @param succeeded calls that succeeded
 * @param failed calls that failed for good
 * @param cancelled calls that were cancelled
 * @param running calls pending, running or suspended
 */
record Progress(long total, long succeeded, long failed, long cancelled, long running) {

    static final Progress NONE = new Progress(0, 0, 0, 0, 0);

    static Progress of(Map<String, Long> byStatus) {
        long succeeded = byStatus.getOrDefault("SUCCEEDED", 0L);
        long failed = byStatus.getOrDefault("FAILED", 0L);
        long cancelled = byStatus.getOrDefault("CANCELLED", 0L);
        long running = byStatus.getOrDefault("PENDING", 0L)
                + byStatus.getOrDefault("RUNNING", 0L)
                + byStatus.getOrDefault("SUSPENDED", 0L);
        return new Progress(succeeded + failed + cancelled + running, succeeded, failed, cancelled, running);
    }

    /** Calls that finished, whatever their outcome. */
    public long finished() {
        return this.succeeded + this.failed + this.cancelled;
    }
}
