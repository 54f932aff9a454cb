package dev.dispatch.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Signals sent to keys and the waits of durable {@code awaitSignal} steps. {@link JdbcStores#signalStore} builds the JDBC implementation. */
public interface SignalStore {

    /**
     * Records a signal; one with this id recorded before (a replayed step of the function that sent it) is kept as
     * it is.
     */
    void insertSignal(String id, String key, String payload, Instant now);

    /** Records an open wait for the {@code SIGNAL} step {@code groupId} of a function, recorded with it. */
    void insertWait(String groupId, String parentId, String rootId, String key, Instant timeoutAt, Instant now);

    /**
     * Delivers the oldest signal not taken to the oldest open wait for {@code key}, if both exist: the wait ends, its
     * step is decided, and its function, waiting for its time-out, is due now.
     *
     * @return the function whose wait took a signal, or empty if there was no pair
     */
    Optional<String> deliverOne(String key, Instant now);

    /**
     * Ends an open wait whose time-out has passed, with no signal: its step is decided.
     *
     * @return whether it ended it (false if a signal ended it first)
     */
    boolean timeOut(String groupId, Instant now);

    /**
     * Leaves a running function waiting for its signal until the wait's time-out: pending again from then, as a
     * resume, unless a signal decided the step meanwhile (its group locked first, as a delivery locks it).
     *
     * @return {@link InvocationStore.SuspendOutcome}: suspended (pending until the time-out), decided, or the lease lost
     */
    InvocationStore.SuspendOutcome waitUntil(String id, long epoch, String groupId, Instant timeoutAt, Instant now);

    /** A wait as recorded: its key, when its time-out falls, and whether it has ended. */
    record Wait(String key, Instant timeoutAt, boolean ended) {}

    Optional<Wait> findWait(String groupId);

    /** The payload (JSON) of the signal a wait took, or empty if it timed out or is still open. */
    Optional<String> findTakenPayload(String groupId);

    /** Keys with both a signal not taken and an open wait: the backstop for a delivery that did not happen. */
    List<String> findDeliverableKeys(int limit);

    /**
     * An open wait, as operators see it.
     *
     * @param key the signal's key it waits for
     * @param invocationId the function waiting
     * @param function that function's name
     * @param since when it started waiting
     * @param timeoutAt when it stops waiting
     */
    record OpenWait(String key, String invocationId, String function, Instant since, Instant timeoutAt) {}

    /**
     * A signal no wait has taken yet.
     *
     * @param id its id
     * @param key its key
     * @param sentAt when it was recorded
     * @param payloadSize the length of its JSON payload
     */
    record WaitingSignal(String id, String key, Instant sentAt, int payloadSize) {}

    /** The open waits of unfinished functions, oldest first. */
    List<OpenWait> findOpenWaits(int limit);

    /** The signals not taken yet, oldest first. */
    List<WaitingSignal> findWaitingSignals(int limit);
}
