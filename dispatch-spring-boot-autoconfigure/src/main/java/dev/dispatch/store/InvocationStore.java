package dev.dispatch.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/** Reads and writes invocations and call groups: what the engine records and reads of its calls. Every method joins the caller's transaction: the engine decides the boundaries. Each state change checks the state it expects, so two nodes can never both win it. {@link JdbcStores#invocationStore} builds the JDBC implementation for the detected {@link DatabaseType}. */
public interface InvocationStore {

    /** The database the store runs on. */
    DatabaseType database();

    /** Changes to whole trees made from outside their attempts: cancelling, ending at a deadline, retrying. */
    TreeChanges trees();

    /** The database the engine's rows are in. */
    DataSource dataSource();

    /** Records calls in one batch. */
    void insertInvocations(List<NewInvocation> rows, Instant now);

    /**
     * Records a call that must exist at most once per idempotency key, unless one with its key exists already.
     *
     * @return the id of the invocation with that key: the new one, or the one recorded before
     */
    String insertIdempotent(NewInvocation row, Instant now);

    /**
     * Records a durable sleep: a step without calls that is decided when the sleep ends; only while its function is
     * still held under {@code epoch}.
     *
     * @return whether it was recorded
     */
    boolean recordSleep(String groupId, String parentId, long epoch, int step, Instant wakeAt, Instant now);

    /**
     * Records a step of a running function and its calls, only while the function is still held under {@code epoch}
     * (its row locked meanwhile, so that a cancellation, a passed deadline or a takeover either comes first and nothing
     * is written, or comes after and finds the calls). A keyed call is recorded unless one with its key exists.
     *
     * @return whether they were recorded
     */
    boolean recordStep(String parentId, long epoch, NewGroup group, List<NewInvocation> rows, Instant now);

    /**
     * Records a step of new calls as {@link #recordStep} does and suspends the function on it, in the caller's
     * transaction: none of the calls can end before it commits, so the step cannot be decided meanwhile. The calls
     * carry no idempotency key.
     *
     * @return whether they were recorded and the function suspended (if not, the transaction must roll back)
     */
    boolean recordStepAndSuspend(String parentId, long epoch, NewGroup group, List<NewInvocation> rows, Instant now);

    /**
     * Puts a running invocation to sleep until {@code wakeAt}: pending again from then, as a resume (not an attempt),
     * with no thread held meanwhile.
     *
     * @return whether this node still held it
     */
    boolean sleepUntil(String id, long epoch, String groupId, Instant wakeAt, Instant now);

    /** Records a step of a parent. */
    void insertGroup(NewGroup group, Instant now);

    /**
     * Records an {@code await(id)} step: its target in {@code winner_id}, decided at once if the target has finished.
     *
     * @return whether the step is decided
     */
    boolean insertAwait(NewGroup group, String targetId, Instant now);

    /**
     * Decides the {@code await(id)} steps of suspended parents whose target has finished; housekeeping then wakes the
     * parents like any other whose step is decided.
     *
     * @return how many it decided
     */
    int decideAwaits(Instant now, int limit);

    /**
     * Writes the end of an attempt and, when the invocation is finished and its caller awaits it, counts it in the
     * caller's step and wakes the caller if the step is now decided.
     *
     * @return the id of the parent this woke, if any; empty too if the lease was lost (nothing written)
     */
    Outcome record(Transition transition, Instant now);

    /**
     * Writes an inline call's step and its row while it runs, only while its caller is still running under this
     * node's lease (its row locked meanwhile, so that a cancellation, a passed deadline or a takeover of the caller
     * either comes first and nothing is written, or comes after and finds the call).
     *
     * @return whether they were written
     */
    boolean insertCall(NewGroup group, NewInvocation row, long callerEpoch, Instant now);

    /**
     * Writes an inline call's step and its row together with the end of its attempt, as {@link #insertCall} would
     * write them and {@link #record} the end, in one transaction.
     *
     * @return as {@link #record}; {@link Outcome#LEASE_LOST} with nothing written if the caller is no longer held
     */
    Outcome recordWithCall(NewGroup group, NewInvocation row, long callerEpoch, Transition transition, Instant now);

    /**
     * Writes the ends of many attempts at once: one statement batch per kind of end, then each caller's step touched
     * counted once for all of its children that finished here, under its row lock, deciding and waking the caller as
     * if the children had been counted one by one in the order given. Steps are locked in id order, so writers on
     * several nodes cannot deadlock on them.
     *
     * @return what each transition came to, in the order given
     */
    List<Outcome> recordAll(List<Transition> transitions, Instant now);

    /**
     * Makes a parent suspended on this step due again. Its {@code awaiting_group_id} stays set: it marks the next run
     * as a resume, which does not count as an attempt.
     */
    boolean wake(String parentId, String groupId, Instant now);

    /**
     * Suspends a running invocation on an undecided step, unless the step got decided meanwhile.
     *
     * @return {@code true} if suspended; {@code false} if the step is decided (replay it now) or the lease was lost
     */
    SuspendOutcome suspend(String id, long epoch, String groupId, Instant now);

    /** Suspended parents whose awaited step is decided: the backstop for any wake-up that went missing. */
    List<String[]> findWakeable(int limit);

    /** One step, as the database has it now. */
    Optional<CallGroup> findGroup(String groupId);

    /** One invocation, as the database has it now. */
    Optional<Invocation> find(String id);

    /** The status of one invocation, without loading the rest of it. */
    Optional<String> findStatus(String id);

    /** The invocation recorded for an idempotency key, if any. */
    Optional<String> findIdByIdempotencyKey(String key);

    /** Of these invocations, the one that finished first (only among those that succeeded, if asked), if any did. */
    Optional<String> firstFinished(List<String> ids, boolean succeededOnly);

    /** The ids of a step's calls, in position order. */
    List<String> findChildIds(String groupId);

    /** The steps a parent recorded, in step order: the skeleton of its journal. */
    List<CallGroup> findGroups(String parentId);

    /** The outcomes of the children in one step, in position order. */
    List<ChildOutcome> findChildOutcomes(String groupId);

    /** The outcomes of the children of every decided, awaited step of a parent: what a replay answers from. */
    List<ChildOutcome> findDecidedChildOutcomes(String parentId);

    /** The outcomes of these invocations, in the order of the ids given. */
    List<ChildOutcome> findOutcomes(List<String> ids);

    /** How many of these invocations are in each status: what a wait polls, without reading any result. */
    Map<String, Integer> countStatuses(List<String> ids);

    /** Function and arguments of each call of a step, in position order (for a non-determinism report). */
    List<String[]> findCalls(String groupId);

    /**
     * What writing an attempt's end came to.
     *
     * @param written whether the row changed (the lease was still held)
     * @param wokenParentId the parent it woke, if any
     */
    record Outcome(boolean written, @Nullable String wokenParentId) {

        static final Outcome RECORDED = new Outcome(true, null);

        static final Outcome LEASE_LOST = new Outcome(false, null);
    }

    /** What an attempt to suspend came to. */
    enum SuspendOutcome {
        /** The invocation is suspended; the child that decides the step wakes it. */
        SUSPENDED,
        /** The step is already decided: go on without suspending. */
        DECIDED,
        /** This node no longer holds the lease: stop, another node runs it. */
        LEASE_LOST
    }

    /**
     * What cancelling a tree did.
     *
     * @param cancelled the invocations cancelled (those not finished yet)
     * @param wokenParentId the caller woken because its step is now decided, if any
     */
    record Cancellation(List<String> cancelled, @Nullable String wokenParentId) {}
}
