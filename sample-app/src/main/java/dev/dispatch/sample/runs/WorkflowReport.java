package dev.dispatch.sample.runs;

/** How a workflow tells its progress while it runs and sums up when it is done. */
public interface WorkflowReport {

    Workflow workflow();

    /** One line while the run goes on, e.g. {@code notifyAllUsers 120/300 sent, 31 retried}. */
    String progress(RunProgress progress);

    /** The final summary, from real sources: the SMTP server, the object store, the engine's records. */
    String summary(RunProgress progress);
}
