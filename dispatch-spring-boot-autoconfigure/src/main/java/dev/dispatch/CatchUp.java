package dev.dispatch;

/** Which ticks of a {@link DispatchSchedule} missed while no node ran start a run once one does. */
public enum CatchUp {
    /** One run, for the latest tick missed. */
    LATEST,
    /** None: missed ticks pass. */
    NONE,
    /** One run per tick missed, oldest first (at most 100 at a time). */
    ALL
}
