package com.example.faults.workflow;

import dev.dispatch.Dispatcher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Starts the workflow on the first run only, and tells when it and all its calls are finished. */
@Component
public class Progress {

    private final Dispatcher dispatcher;

    private final Workflow workflow;

    private final JdbcTemplate jdbc;

    public Progress(Dispatcher dispatcher, Workflow workflow, JdbcTemplate jdbc) {
        this.dispatcher = dispatcher;
        this.workflow = workflow;
        this.jdbc = jdbc;
    }

    /** Dispatches the root unless a previous run recorded it: a restart must not start the workflow again. */
    void startUnlessRecorded(int size) {
        Integer roots = this.jdbc.queryForObject(
                "SELECT COUNT(*) FROM dispatch_invocation WHERE function_name = ?", Integer.class, Workflow.NAME);
        if (roots == null || roots == 0) {
            this.dispatcher.dispatch(() -> this.workflow.run(size));
        }
    }

    /**
     * Waits until the root succeeded and no call is left pending, running or suspended, and returns the root's
     * recorded result (JSON). Rides out a database outage: the engine is meant to, and so is this loop.
     */
    String awaitFinished(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastError = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                List<Map<String, Object>> root = this.jdbc.queryForList(
                        "SELECT status, result, error_message FROM dispatch_invocation WHERE function_name = ?",
                        Workflow.NAME);
                Integer open = this.jdbc.queryForObject(
                        "SELECT COUNT(*) FROM dispatch_invocation"
                                + " WHERE status IN ('PENDING', 'RUNNING', 'SUSPENDED')",
                        Integer.class);
                if (root.size() == 1
                        && !"RUNNING PENDING SUSPENDED"
                                .contains((String) root.get(0).get("status"))) {
                    if (!"SUCCEEDED".equals(root.get(0).get("status"))) {
                        throw new IllegalStateException("The workflow ended " + root.get(0));
                    }
                    if (open != null && open == 0) {
                        return (String) root.get(0).get("result");
                    }
                }
            } catch (DataAccessException ex) {
                if (lastError == null) {
                    System.out.println("Waiting for the workflow: the database is not reachable: " + ex);
                }
                lastError = ex.toString();
            }
            // polls a condition until its deadline: the outcome comes from another thread or process
            Thread.sleep(50);
        }
        throw new IllegalStateException("The workflow did not finish within " + timeout
                + (lastError != null ? "; last database error: " + lastError : ""));
    }
}
