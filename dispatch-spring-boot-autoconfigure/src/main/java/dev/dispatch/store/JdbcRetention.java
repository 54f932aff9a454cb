package dev.dispatch.store;

import static dev.dispatch.store.JdbcInvocationStore.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Purges finished invocations once their retention has passed: whole trees at a time, batch after batch (each its own
 * transaction) until nothing is due or a time budget is spent, and never a root whose tree still has an unfinished
 * invocation. The roots due are found through an index of roots: on PostgreSQL the finished roots'
 * ({@code dispatch_invocation_finished_roots}, partial), elsewhere the roots by creation time
 * ({@code dispatch_invocation_runs}; a root that finished before a time was created before it, schema version 8).
 */
final class JdbcRetention implements Retention {

    private static final int ROWS_PER_DELETE = 5_000;

    private static final String DUE_ROOTS = """
            SELECT r.id FROM dispatch_invocation r
            WHERE r.parent_id IS NULL AND r.created_at < ? AND r.completed_at < ? AND r.status IN (%s)
                AND NOT EXISTS (SELECT 1 FROM dispatch_invocation c
                    WHERE c.root_id = r.id AND c.status IN ('PENDING', 'RUNNING', 'SUSPENDED'))
            LIMIT ?""";

    /** The query for the roots due, whose status is one of {@code statuses} (SQL literals). */
    static String dueRoots(String statuses) {
        return DUE_ROOTS.formatted(statuses);
    }

    private final JdbcTemplate jdbc;

    private final NamedParameterJdbcTemplate named;

    private final Dialect dialect;

    private final Duration succeeded;

    private final Duration failed;

    private final int batchSize;

    JdbcRetention(JdbcTemplate jdbc, DatabaseType database, Duration succeeded, Duration failed) {
        this(jdbc, database, succeeded, failed, DEFAULT_BATCH_SIZE);
    }

    /**
     * @param succeeded how long a tree whose root SUCCEEDED is kept after it finished
     * @param failed how long a tree whose root FAILED or was CANCELLED is kept after it finished
     * @param batchSize trees purged per batch
     */
    JdbcRetention(JdbcTemplate jdbc, DatabaseType database, Duration succeeded, Duration failed, int batchSize) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.dialect = database.dialect();
        this.succeeded = succeeded;
        this.failed = failed;
        this.batchSize = batchSize;
    }

    @Override
    public Purged purgeDue(Instant now, Duration budget, TransactionOperations tx) {
        long end = System.nanoTime() + budget.toNanos();
        int trees = 0;
        int invocations = 0;
        while (true) {
            int[] batch = tx.execute(status -> purgeBatch(now));
            trees += batch[0];
            invocations += batch[1];
            if (batch[0] < this.batchSize) {
                return new Purged(trees, invocations, true);
            }
            if (System.nanoTime() - end > 0) {
                return new Purged(trees, invocations, false);
            }
        }
    }

    @Override
    public int purge(Instant now) {
        return purgeBatch(now)[1];
    }

    /** Deletes up to one batch of expired trees: {trees, invocations}. */
    private int[] purgeBatch(Instant now) {
        List<String> roots = new ArrayList<>(dueRoots("'SUCCEEDED'", now.minus(this.succeeded), this.batchSize));
        if (roots.size() < this.batchSize) {
            roots.addAll(dueRoots("'FAILED', 'CANCELLED'", now.minus(this.failed), this.batchSize - roots.size()));
        }
        if (roots.isEmpty()) {
            return new int[] {0, 0};
        }
        MapSqlParameterSource ids = new MapSqlParameterSource("roots", roots);
        // the signals the trees' waits took, and the waits (schema version 5); signals not taken stay for a wait
        this.named.update(
                "DELETE FROM dispatch_signal WHERE taken_by IN"
                        + " (SELECT group_id FROM dispatch_signal_wait WHERE root_id IN (:roots))",
                ids);
        this.named.update("DELETE FROM dispatch_signal_wait WHERE root_id IN (:roots)", ids);
        this.named.update(
                "DELETE FROM dispatch_call_group WHERE parent_id IN"
                        + " (SELECT id FROM dispatch_invocation WHERE root_id IN (:roots))",
                ids);
        int deleted = 0;
        int chunk;
        do {
            chunk = this.dialect.deleteAtMost(
                    this.jdbc,
                    "dispatch_invocation",
                    "root_id IN (" + String.join(", ", java.util.Collections.nCopies(roots.size(), "?"))
                            + ") AND id <> root_id",
                    ROWS_PER_DELETE,
                    roots.toArray());
            deleted += chunk;
        } while (chunk == ROWS_PER_DELETE);
        deleted += this.named.update("DELETE FROM dispatch_invocation WHERE id IN (:roots)", ids);
        return new int[] {roots.size(), deleted};
    }

    private List<String> dueRoots(String statuses, Instant before, int limit) {
        return this.jdbc.queryForList(dueRoots(statuses), String.class, time(before), time(before), limit);
    }
}
