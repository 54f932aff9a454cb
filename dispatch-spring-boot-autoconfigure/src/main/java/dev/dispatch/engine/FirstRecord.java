package dev.dispatch.engine;

import dev.dispatch.store.NewGroup;
import dev.dispatch.store.NewInvocation;
import java.util.function.BooleanSupplier;

/**
 * The rows of an inline call (its step and itself) while they are not written yet. They are written with the call's
 * end, in one transaction, when the call makes no step of its own and ends quickly; otherwise just before its first
 * step (a step needs its caller's row), or by the recorder thread once the call has run for
 * {@link #VISIBLE_AFTER_MILLIS}, so that a long call shows as running. Until then nothing of the call is in the
 * database, as if its caller had not reached the step yet: a fault meanwhile runs the caller again from its last
 * recorded step, which calls it again, just as the call would have run again had its row been written.
 */
final class FirstRecord {

    /** How long an inline call runs before its rows are written while it runs. */
    static final long VISIBLE_AFTER_MILLIS = 1000;

    private static final int UNWRITTEN = 0;

    private static final int WRITING = 1;

    private static final int WRITTEN = 2;

    private final NewGroup group;

    private final NewInvocation row;

    private final long callerEpoch;

    private int state = UNWRITTEN;

    FirstRecord(NewGroup group, NewInvocation row, long callerEpoch) {
        this.group = group;
        this.row = row;
        this.callerEpoch = callerEpoch;
    }

    /** The caller's hold, which writing the rows checks. */
    long callerEpoch() {
        return this.callerEpoch;
    }

    NewGroup group() {
        return this.group;
    }

    NewInvocation row() {
        return this.row;
    }

    /** Whether the rows are written. */
    synchronized boolean written() {
        return this.state == WRITTEN;
    }

    /**
     * Writes the rows unless they are written already, waiting for a write in progress elsewhere. {@code write}
     * returns whether it wrote them (the rows are left unwritten if it returns false or throws).
     */
    void write(BooleanSupplier write) {
        if (take(true)) {
            run(write);
        }
    }

    /** Like {@link #write}, but does nothing if another thread is writing them now (the recorder's early write). */
    void writeIfIdle(BooleanSupplier write) {
        if (take(false)) {
            run(write);
        }
    }

    private void run(BooleanSupplier write) {
        boolean done = false;
        try {
            done = write.getAsBoolean();
        } finally {
            settle(done);
        }
    }

    /**
     * Takes the writing over: false if the rows are written already, or if another thread is writing them and
     * {@code wait} is false (else waits for that write to end first).
     */
    private synchronized boolean take(boolean wait) {
        boolean interrupted = false;
        while (wait && this.state == WRITING) {
            try {
                wait();
            } catch (InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (this.state != UNWRITTEN) {
            return false;
        }
        this.state = WRITING;
        return true;
    }

    private synchronized void settle(boolean done) {
        this.state = done ? WRITTEN : UNWRITTEN;
        notifyAll();
    }
}
