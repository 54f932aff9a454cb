package dev.dispatch.engine;

import dev.dispatch.store.Claims;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
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

    /** The latest time {@link #now()} returned, in microseconds of the epoch (the precision the store keeps). */
    private final AtomicLong latestMicros = new AtomicLong(Long.MIN_VALUE);

    private volatile long nextSyncNanos;

    /** How far a test moved this clock ahead of the database's ({@code DispatchTester.advanceClock}). */
    private volatile long advancedNanos;

    DatabaseClock(Claims store) {
        this.store = store;
    }

    /**
     * In whole microseconds, and never earlier than a time it returned before: a resync that finds the database a
     * little behind (a slow read of its clock misjudges it by up to half the read) holds this clock still until real
     * time catches up, instead of turning it back. Turned back, a call recorded just before would not be due yet when
     * its id is claimed, and would wait for the next poll.
     */
    Instant now() {
        Instant now = Instant.now().plusNanos(this.skewNanos + this.advancedNanos);
        long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
        // whole microseconds, what the store keeps: a due time written from this clock compares exactly with a later
        // reading of it, instead of being rounded up past it by the database
        return Instant.EPOCH.plus(this.latestMicros.accumulateAndGet(micros, Math::max), ChronoUnit.MICROS);
    }

    /** Moves this clock forward by {@code amount} for good: what the test kit's {@code advanceClock} does. */
    synchronized void advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("The clock only moves forward, not by " + amount);
        }
        this.advancedNanos = Math.addExact(this.advancedNanos, amount.toNanos());
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
