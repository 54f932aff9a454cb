package dev.dispatch;

/** What a {@link DispatchSchedule} tick does while the previous run of the schedule is unfinished. */
public enum Overlap {
    /** No new run: the tick passes. */
    SKIP,
    /** A new run starts whatever the previous one is doing. */
    ALLOW
}
