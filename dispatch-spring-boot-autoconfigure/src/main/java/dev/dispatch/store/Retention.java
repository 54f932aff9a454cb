package dev.dispatch.store;

import java.time.Duration;
import java.time.Instant;
import org.springframework.transaction.support.TransactionOperations;

/** Purges finished trees once they are older than their retention. {@link JdbcStores#retention} builds the JDBC implementation. */
public interface Retention {

    /** The default trees purged per batch. */
    int DEFAULT_BATCH_SIZE = 500;

    /** What one round of purging did. */
    record Purged(int trees, int invocations, boolean caughtUp) {}

    /**
     * Purges batch after batch, each in a transaction of its own, until nothing is due or the budget is spent.
     *
     * @return the trees and invocations purged, and whether nothing due is left
     */
    Purged purgeDue(Instant now, Duration budget, TransactionOperations tx);

    /** Deletes up to one batch of expired trees; returns the number of invocations deleted. */
    int purge(Instant now);
}
