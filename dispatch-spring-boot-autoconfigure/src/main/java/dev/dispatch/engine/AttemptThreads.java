package dev.dispatch.engine;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The threads running attempts' code on this node now, by invocation id: a cancelled attempt, or one past its
 * deadline, is interrupted on its thread, and the interrupt never outlives the attempt.
 */
final class AttemptThreads {

    /** Threads running attempts' code now, to interrupt one that is cancelled. */
    private final Map<String, Thread> running = new ConcurrentHashMap<>();

    /** Attempts interrupted because they were cancelled or past their deadline; guarded by itself. */
    private final Set<String> interrupted = new HashSet<>();

    /** The attempt of this invocation runs on the calling thread from now on. */
    void enter(String invocationId) {
        this.running.put(invocationId, Thread.currentThread());
    }

    /** Interrupts the attempt of this invocation if it runs on this node (it was cancelled). */
    boolean interrupt(String invocationId) {
        synchronized (this.interrupted) {
            Thread thread = this.running.get(invocationId);
            if (thread != null) {
                this.interrupted.add(invocationId);
                thread.interrupt();
                return true;
            }
            return false;
        }
    }

    /** Interrupts the attempts of these invocations that run on this node, except on the calling thread. */
    void interruptOthers(Collection<String> invocationIds) {
        for (String id : invocationIds) {
            if (this.running.get(id) != Thread.currentThread()) {
                interrupt(id);
            }
        }
    }

    /**
     * Forgets the attempt's thread. An interrupt meant for the attempt (cancelled, past its deadline) must not outlive
     * it: the thread goes on with other work, a caller's or a worker's.
     */
    void leave(String invocationId) {
        synchronized (this.interrupted) {
            this.running.remove(invocationId, Thread.currentThread());
            if (this.interrupted.remove(invocationId)) {
                Thread.interrupted();
            }
        }
    }
}
