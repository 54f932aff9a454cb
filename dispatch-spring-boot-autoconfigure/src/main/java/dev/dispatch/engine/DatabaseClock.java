package dev.dispatch.engine;

import dev.dispatch.store.Claims;
import java.time.Duration;
import java.time.Instant;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Time as the database tells it, so that nodes whose clocks disagree still agree on leases and due times. Reads the
 * database clock now and then and applies the difference to the local clock in between.
 */
final class DatabaseClock {

    private static final Log logger = LogFactory.getLog(DatabaseClock.class);

    private static final Duration RESYNC = Duration.ofSeconds(30);

    private final Claims store;

    private volatile long skewNanos;

    private volatile long nextSyncNanos;

    DatabaseClock(Claims store) {
        this.store = store;
    }

    Instant now() {
        return Instant.now().plusNanos(this.skewNanos);
    }

    /** Reads the database clock again if it is time to. */
    void resyncIfDue() {
        long nanoTime = System.nanoTime();
        if (nanoTime - this.nextSyncNanos < 0) {
            return;
        }
        Instant before = Instant.now();
        Instant database = this.store.databaseNow();
        Instant after = Instant.now();
        Instant local = before.plus(Duration.between(before, after).dividedBy(2));
        long skew = Duration.between(local, database).toNanos();
        if (Math.abs(skew - this.skewNanos) > Duration.ofSeconds(1).toNanos()) {
            logger.info("Database clock differs from this node's by "
                    + Duration.ofNanos(skew).toMillis() + " ms; leases and due times follow the database");
        }
        this.skewNanos = skew;
        this.nextSyncNanos = nanoTime + RESYNC.toNanos();
    }
}
