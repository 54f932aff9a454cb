package dev.dispatch.engine;

import dev.dispatch.CurrentInvocation;
import dev.dispatch.DispatchId;
import dev.dispatch.NonDeterminismException;
import dev.dispatch.aop.FunctionDefinition;
import dev.dispatch.store.ClaimedInvocation;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * The attempt running on this thread: which invocation, its step counter and its journal. Inline child calls stack
 * their execution on top of their parent's.
 */
final class Execution {

    private static final ThreadLocal<@Nullable Execution> CURRENT = new ThreadLocal<>();

    private final ClaimedInvocation invocation;

    private final FunctionDefinition function;

    private final String owner;

    private final @Nullable Execution outer;

    private int nextStep;

    private @Nullable Journal journal;

    private boolean entering = true;

    private boolean suspended;

    private boolean leaseLost;

    private @Nullable NonDeterminismException nonDeterminism;

    /** Replaying a history (the test kit): null for a real attempt; true if the recorded run had finished. */
    private @Nullable Boolean replayOfFinished;

    /** Why a step could not be recorded (the database failed), if one could not. */
    private @Nullable RuntimeException storeFailure;

    /** Writes this inline call's own rows before its first step, if they are not written yet: false if it may not. */
    private @Nullable BooleanSupplier writeFirst;

    /** Whether this call's row is written (an inline call's may not be yet): only a written row holds a lease. */
    private BooleanSupplier rowWritten = () -> true;

    /** Checks before each step that this node still holds the call; none for a replay. */
    private @Nullable LeaseGuard guard;

    /** Set by the heartbeat when it found this call no longer held here: the next step unwinds the attempt. */
    private volatile boolean leaseGone;

    private Execution(
            ClaimedInvocation invocation, FunctionDefinition function, String owner, @Nullable Execution outer) {
        this.invocation = invocation;
        this.function = function;
        this.owner = owner;
        this.outer = outer;
    }

    static @Nullable Execution current() {
        return CURRENT.get();
    }

    /** Makes an execution current on this thread, above whatever was. */
    static Execution enter(ClaimedInvocation invocation, FunctionDefinition function, String owner) {
        Execution execution = new Execution(invocation, function, owner, CURRENT.get());
        CURRENT.set(execution);
        return execution;
    }

    /** Restores what was current before {@link #enter}. */
    void exit() {
        CURRENT.set(this.outer);
    }

    /**
     * Whether this proxy call is the engine entering the function's own body (the first call of the function on
     * this execution), rather than a durable call the body makes.
     */
    boolean consumeEntry(FunctionDefinition called) {
        if (this.entering && called == this.function) {
            this.entering = false;
            return true;
        }
        return false;
    }

    /** Allocates the next step; refuses to go on after a suspension that user code swallowed. */
    int nextStep() {
        if (this.suspended || this.leaseLost) {
            throw new SuspendSignal(id());
        }
        if (this.nonDeterminism != null) {
            throw this.nonDeterminism;
        }
        if (this.storeFailure != null) {
            throw new StoreFailureSignal(id(), this.storeFailure);
        }
        LeaseGuard guard = this.guard;
        if (guard != null && !guard.holds(this)) {
            // taken over or cancelled meanwhile: the next attempt may have taken this step already
            throw loseLease();
        }
        BooleanSupplier first = this.writeFirst;
        if (first != null) {
            // a step needs its caller's row: this inline call's rows go in first, while its own caller still runs
            this.writeFirst = null;
            if (!first.getAsBoolean()) {
                throw loseLease();
            }
        }
        return this.nextStep++;
    }

    /**
     * For an inline call whose rows wait: how to write them before its first step, and whether they are written (by
     * that, with its end, or early while it runs long).
     */
    void writeFirstBeforeSteps(BooleanSupplier write, BooleanSupplier written) {
        this.writeFirst = write;
        this.rowWritten = written;
    }

    /** Checks with {@code guard} before each step that this node still holds the call. */
    void guardedBy(LeaseGuard guard) {
        this.guard = guard;
    }

    boolean rowWritten() {
        return this.rowWritten.getAsBoolean();
    }

    void markLeaseGone() {
        this.leaseGone = true;
    }

    boolean isLeaseGone() {
        return this.leaseGone;
    }

    /** The execution this one runs inline in, on the same thread, if any. */
    @Nullable
    Execution outer() {
        return this.outer;
    }

    /** The recorded steps, loaded on first use (never for a first attempt, which has none). */
    Journal journal(Supplier<Journal> loader) {
        Journal journal = this.journal;
        if (journal == null) {
            journal = (this.invocation.attempt() > 1 || this.invocation.resumed()) ? loader.get() : Journal.EMPTY;
            this.journal = journal;
        }
        return journal;
    }

    /**
     * Makes this execution a replay of a history: its steps answer from {@code journal}, and it records nothing and
     * runs no call (see {@link Replayer}).
     */
    void replayFrom(Journal journal, boolean finished) {
        this.journal = journal;
        this.replayOfFinished = finished;
    }

    boolean isReplay() {
        return this.replayOfFinished != null;
    }

    /** Whether the replayed history's run had finished (so it may make no step beyond the last recorded). */
    boolean replaysFinishedRun() {
        return Boolean.TRUE.equals(this.replayOfFinished);
    }

    /** Steps this execution has taken so far. */
    int stepsTaken() {
        return this.nextStep;
    }

    SuspendSignal suspend() {
        this.suspended = true;
        return new SuspendSignal(id());
    }

    SuspendSignal loseLease() {
        this.leaseLost = true;
        return new SuspendSignal(id());
    }

    NonDeterminismException nonDeterministic(NonDeterminismException ex) {
        this.nonDeterminism = ex;
        return ex;
    }

    /**
     * Runs a durable operation of a running function; a database failure while it records or reads its step unwinds
     * the function (it cannot catch it) and ends the attempt as a temporary failure.
     */
    <T extends @Nullable Object> T recording(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (DataAccessException | TransactionException ex) {
            throw storeFailed(ex);
        }
    }

    /** Remembers that a step could not be recorded; the signal unwinds the function, which cannot catch it. */
    StoreFailureSignal storeFailed(RuntimeException ex) {
        if (this.storeFailure == null) {
            this.storeFailure = ex;
        }
        return new StoreFailureSignal(id(), ex);
    }

    @Nullable
    RuntimeException storeFailure() {
        return this.storeFailure;
    }

    boolean isSuspended() {
        return this.suspended;
    }

    boolean isLeaseLost() {
        return this.leaseLost;
    }

    @Nullable
    NonDeterminismException nonDeterminism() {
        return this.nonDeterminism;
    }

    String id() {
        return this.invocation.id();
    }

    ClaimedInvocation invocation() {
        return this.invocation;
    }

    FunctionDefinition function() {
        return this.function;
    }

    String owner() {
        return this.owner;
    }

    CurrentInvocation describe() {
        String parentId = this.invocation.parentId();
        return new CurrentInvocation(
                DispatchId.of(id()),
                this.function.name(),
                this.invocation.attempt(),
                DispatchId.of(this.invocation.rootId()),
                parentId != null ? DispatchId.of(parentId) : null);
    }
}
