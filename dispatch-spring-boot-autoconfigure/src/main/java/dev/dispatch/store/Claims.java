package dev.dispatch.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Claims due calls for this node, holds their leases, takes over expired ones. A claim never hands the same call to two nodes. {@link JdbcStores#claims} builds the JDBC implementation. */
public interface Claims {

    /**
     * Claims up to {@code limit} due invocations of the given functions, in {@link ClaimOrder} (priority, turn, then
     * oldest first): the poller's claim. Rows
     * that other nodes' claims are taking at the same moment are skipped.
     */
    List<ClaimedInvocation> claimDue(
            Instant now, Collection<String> functions, int limit, String owner, Instant leaseUntil);

    /**
     * The poller's claim when some functions have a concurrency limit: each limited function first, oldest first, at
     * most as many as its limit leaves room for (counted in the database, under a lock where several nodes claim: call
     * it in the transaction that claims), and of a keyed function only calls whose key value has room; then the
     * unlimited functions, so due calls of a limited function at its limit never hold back the others.
     */
    List<ClaimedInvocation> claimDue(
            Instant now,
            Collection<String> functions,
            int limit,
            String owner,
            Instant leaseUntil,
            Map<String, FunctionLimit> limits);

    /**
     * Takes the lease of each invocation that is still pending, and returns those this node won. Another node
     * racing for the same row skips it, or sees its status changed, and gets nothing.
     */
    List<ClaimedInvocation> claim(Collection<String> ids, String owner, Instant now, Instant leaseUntil);

    /**
     * Claims these invocations when some functions have a concurrency limit: those of limited functions only as far as
     * their limits leave room (see {@link #claimDue(Instant, Collection, int, String, Instant, Map)}); the ones left
     * stay pending for the poller.
     */
    List<ClaimedInvocation> claim(
            Collection<String> ids, String owner, Instant now, Instant leaseUntil, Map<String, FunctionLimit> limits);

    /** The claimed rows, as this node holds them. */
    List<ClaimedInvocation> selectClaimed(Collection<String> ids, String owner);

    /**
     * Extends the leases of the given invocations, those this node runs, where it still holds them. Never every row
     * under its name: a process that restarted under the same node id would keep its dead predecessor's calls alive.
     *
     * @param held the invocations' ids, each with the epoch of its hold
     * @return the ids of those whose lease was not renewed: no longer held by {@code owner} at that epoch (taken over,
     *     cancelled, ended), or never written
     */
    Set<String> renewLeases(String owner, Map<String, Long> held, Instant leaseUntil);

    /** Running invocations whose node stopped renewing their lease. */
    List<ClaimedInvocation> findExpiredLeases(Instant now, int limit);

    /**
     * Takes over an expired lease for {@code owner}, if it is still expired and still the hold that was found, to write
     * the attempt's end; the hold's epoch goes up by one.
     */
    boolean takeOverExpired(ClaimedInvocation expired, String owner, Instant now, Instant leaseUntil);

    /**
     * Marks a claimed call started, just before its body runs: only now does its attempt count (a resume after a
     * suspension is no new attempt). A call claimed ahead whose node dies before it starts is taken over with its
     * attempts untouched, so it runs again without having used one.
     *
     * @return whether this node still holds it (not cancelled or taken over meanwhile): run it only then
     */
    boolean start(ClaimedInvocation claimed, Instant now);

    /**
     * {@link #start} for several calls in the caller's transaction, one statement batch.
     *
     * @return for each call in order, whether this node still holds it
     */
    default List<Boolean> startAll(List<ClaimedInvocation> claimed, Instant now) {
        List<Boolean> started = new java.util.ArrayList<>(claimed.size());
        for (ClaimedInvocation call : claimed) {
            started.add(start(call, now));
        }
        return started;
    }

    /**
     * Hands back an invocation this node claimed but will not run (it has no such function, or it is stopping):
     * pending again; it never started, so it used no attempt.
     */
    boolean release(ClaimedInvocation claimed, String owner, Instant now);

    /** The database's clock, which all nodes share. */
    Instant databaseNow();
}
