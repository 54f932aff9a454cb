package dev.dispatch.engine;

import dev.dispatch.store.Claims;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Whether an attempt still holds its call before it takes a step, so that an attempt whose lease expired (its node's
 * heartbeat stalled, or another node took the call over) runs no step the next attempt may have run already: an
 * inline call's body above all, whose record the stale attempt cannot see.
 *
 * <p>The heartbeat tells it twice: every renewal names the holds it found gone (their attempts stop at their next
 * step), and each renewal that succeeds vouches for all leases of this node for a lease from when it started. Past
 * that (the heartbeat stalled or the database did not answer), a step first renews its own attempt's lease, and those
 * of the inline calls it runs in, itself: the call goes on only if every one is still held at its epoch.
 */
final class LeaseGuard {

    private static final Log logger = LogFactory.getLog(LeaseGuard.class);

    private final Claims claims;

    private final TransactionOperations own;

    private final DatabaseClock clock;

    private final EngineSettings settings;

    /** How long a renewal vouches for this node's leases: a lease, less a tenth for clocks and the step's own work. */
    private final long trustedNanos;

    /** Attempts whose bodies run here now (a stale one and its successor may both, for the same call). */
    private final Set<Execution> bodies = ConcurrentHashMap.newKeySet();

    /** {@link System#nanoTime()} when the last renewal that succeeded started; unset while no heartbeat runs. */
    private volatile long renewedAt;

    private volatile boolean beating;

    LeaseGuard(Claims claims, TransactionOperations own, DatabaseClock clock, EngineSettings settings) {
        this.claims = claims;
        this.own = own;
        this.clock = clock;
        this.settings = settings;
        long lease = settings.leaseDuration().toNanos();
        this.trustedNanos = lease - lease / 10;
    }

    /** The heartbeat starts: every lease held from now on was taken or renewed after {@code startedAt}. */
    void heartbeatStarted(long startedAt) {
        this.renewedAt = startedAt;
        this.beating = true;
    }

    void heartbeatStopped() {
        this.beating = false;
    }

    void enter(Execution execution) {
        this.bodies.add(execution);
    }

    void exit(Execution execution) {
        this.bodies.remove(execution);
    }

    /** The bodies running here whose rows are written, before a renewal: only those can be found gone by it. */
    List<Execution> written() {
        return this.bodies.stream().filter(Execution::rowWritten).toList();
    }

    /**
     * A renewal that started at {@code startedAt} came back: of the {@code held} holds it renewed, {@code lost} are the
     * ids it found no longer held. A body checked before it is gone if its hold was lost, or if it was not the hold
     * renewed: a later attempt of the same call holds it now, or held it and ended (a body's hold is renewed from
     * before it runs until after its end is recorded).
     */
    void renewed(long startedAt, List<Execution> checked, Map<String, Long> held, Set<String> lost) {
        for (Execution execution : checked) {
            Long epoch = held.get(execution.id());
            if (epoch == null || epoch != execution.invocation().epoch() || lost.contains(execution.id())) {
                execution.markLeaseGone();
            }
        }
        if (startedAt - this.renewedAt > 0) {
            this.renewedAt = startedAt;
        }
    }

    /** Whether {@code execution} may take a step: it, and every call it runs inline in, still held by this node. */
    boolean holds(Execution execution) {
        for (Execution e = execution; e != null; e = e.outer()) {
            if (e.isLeaseGone()) {
                return false;
            }
        }
        if (!this.beating || System.nanoTime() - this.renewedAt < this.trustedNanos) {
            return true;
        }
        Map<String, Long> chain = new LinkedHashMap<>();
        for (Execution e = execution; e != null; e = e.outer()) {
            if (!e.isReplay() && e.rowWritten()) {
                chain.put(e.id(), e.invocation().epoch());
            }
        }
        try {
            @Nullable
            Set<String> lost = this.own.execute(status -> {
                Instant until = this.clock.now().plus(this.settings.leaseDuration());
                Set<String> gone = new HashSet<>();
                // one statement each, whose count every driver reports (a batch's may be "no information")
                chain.forEach((id, epoch) ->
                        gone.addAll(this.claims.renewLeases(this.settings.nodeId(), Map.of(id, epoch), until)));
                return gone;
            });
            if (lost == null || lost.isEmpty()) {
                return true;
            }
            logger.info("No longer held by this node, after its heartbeat fell behind: " + lost);
        } catch (RuntimeException ex) {
            logger.warn("Could not confirm the leases of " + chain.keySet() + " after this node's heartbeat fell"
                    + " behind; the attempt stops here and runs again later: " + ex);
        }
        return false;
    }
}
