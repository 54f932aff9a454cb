package dev.dispatch.store;

import static dev.dispatch.store.InvocationStore.time;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Purges finished invocations once their retention has passed: whole trees at a time, a few roots and a bounded number
 * of rows per statement, and never a root whose tree still has an unfinished invocation.
 */
public class Retention {

    private static final int ROOTS_PER_PURGE = 50;

    private static final int ROWS_PER_DELETE = 5_000;

    private final JdbcTemplate jdbc;

    private final Duration succeeded;

    private final Duration failed;

    /**
     * @param succeeded how long a tree whose root SUCCEEDED is kept after it finished
     * @param failed how long a tree whose root FAILED or was CANCELLED is kept after it finished
     */
    public Retention(JdbcTemplate jdbc, Duration succeeded, Duration failed) {
        this.jdbc = jdbc;
        this.succeeded = succeeded;
        this.failed = failed;
    }

    /** Deletes up to a few expired trees; returns the number of invocations deleted. */
    public int purge(Instant now) {
        List<String> roots = this.jdbc.queryForList(
                """
                SELECT r.id FROM dispatch_invocation r
                WHERE r.parent_id IS NULL
                    AND ((r.status = 'SUCCEEDED' AND r.completed_at < ?)
                        OR (r.status IN ('FAILED', 'CANCELLED') AND r.completed_at < ?))
                    AND NOT EXISTS (SELECT 1 FROM dispatch_invocation c
                        WHERE c.root_id = r.id AND c.status IN ('PENDING', 'RUNNING', 'SUSPENDED'))
                ORDER BY r.completed_at FETCH FIRST ? ROWS ONLY""", String.class, time(now.minus(this.succeeded)), time(now.minus(this.failed)), ROOTS_PER_PURGE);
        int deleted = 0;
        for (String root : roots) {
            this.jdbc.update(
                    "DELETE FROM dispatch_call_group WHERE parent_id IN"
                            + " (SELECT id FROM dispatch_invocation WHERE root_id = ?)",
                    root);
            int chunk;
            do {
                chunk = this.jdbc.update(
                        "DELETE FROM dispatch_invocation WHERE id IN (SELECT id FROM dispatch_invocation"
                                + " WHERE root_id = ? AND id <> root_id FETCH FIRST " + ROWS_PER_DELETE + " ROWS ONLY)",
                        root);
                deleted += chunk;
            } while (chunk == ROWS_PER_DELETE);
            deleted += this.jdbc.update("DELETE FROM dispatch_invocation WHERE id = ?", root);
        }
        return deleted;
    }
}
