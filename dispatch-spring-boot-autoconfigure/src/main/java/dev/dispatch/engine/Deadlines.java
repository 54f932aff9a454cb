package dev.dispatch.engine;

import dev.dispatch.DispatchOptions;
import dev.dispatch.aop.FunctionDefinition;
import dev.dispatch.store.InvocationStore;
import java.time.Duration;
import java.time.Instant;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Ends the trees whose deadline passed: every unfinished invocation in them FAILED with status TIMEOUT, pending ones
 * never started, running ones on this node interrupted, a caller awaiting the top of the tree woken. Housekeeping sweeps
 * for passed deadlines on every node, with the database clock; claims never start an invocation past its deadline; a
 * running function past its deadline stops at its next durable step.
 */
final class Deadlines {

    private static final Log logger = LogFactory.getLog(Deadlines.class);

    private final InvocationStore store;

    private final TransactionOperations tx;

    private final DatabaseClock clock;

    private final ReadyQueue ready;

    private final AttemptRunner runner;

    Deadlines(
            InvocationStore store,
            TransactionOperations tx,
            DatabaseClock clock,
            ReadyQueue ready,
            AttemptRunner runner) {
        this.store = store;
        this.tx = tx;
        this.clock = clock;
        this.ready = ready;
        this.runner = runner;
    }

    /** Ends up to {@code limit} trees whose deadline passed; returns how many invocations ended. */
    int expireDue(Instant now, int limit) {
        int ended = 0;
        for (String id : this.store.trees().findPastDeadline(now, limit)) {
            ended += expire(id, now);
        }
        return ended;
    }

    /**
     * Ends the tree of this invocation, whose deadline passed, from its highest unfinished invocation past the deadline.
     * Attempts of it running on the calling thread are not interrupted: the caller unwinds them itself.
     */
    int expire(String id) {
        return expire(id, this.clock.now());
    }

    private int expire(String id, Instant now) {
        InvocationStore.Cancellation ended =
                this.tx.execute(status -> this.store.trees().expireTree(id, now));
        if (ended == null || ended.cancelled().isEmpty()) {
            return 0;
        }
        logger.info("Deadline passed: ended " + ended.cancelled().size() + " unfinished invocations of the tree of "
                + ended.cancelled().get(0));
        this.runner.interruptOthers(ended.cancelled());
        String woken = ended.wokenParentId();
        if (woken != null) {
            this.ready.offerFirst(woken);
        }
        return ended.cancelled().size();
    }

    /** The deadline of a root call: the one the options set, else its function's default, if any. */
    static @Nullable Instant ofRoot(FunctionDefinition function, DispatchOptions options, Instant now) {
        Instant given = options.deadlineFrom(now);
        if (given != null) {
            return given;
        }
        Duration deadline = function.deadline();
        return (deadline != null) ? now.plus(deadline) : null;
    }

    /** The earlier of two deadlines; a call made inside a durable function finishes by its caller's deadline. */
    static @Nullable Instant earlier(@Nullable Instant inherited, @Nullable Instant own) {
        if (inherited == null) {
            return own;
        }
        return (own == null || inherited.isBefore(own)) ? inherited : own;
    }
}
