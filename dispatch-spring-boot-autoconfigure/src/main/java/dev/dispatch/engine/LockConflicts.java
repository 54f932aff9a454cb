package dev.dispatch.engine;

import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Runs a piece of the engine's own database work again when the database chose it as the loser of a deadlock or of a
 * lock wait ({@link PessimisticLockingFailureException}). Such work is one transaction of its own (never a caller's)
 * whose writes are fenced by epochs and statuses: rolled back whole, it changed nothing, and it is as valid the next
 * time. The engine's writers lock invocation rows in id order, which keeps deadlocks among them rare but not
 * impossible (a batch of start marks and ends, a cancelled tree, a lease renewal). Before this, a batch of ends that
 * lost one was dropped, and calls that had succeeded ran again once their leases expired.
 */
final class LockConflicts {

    private static final Log logger = LogFactory.getLog(LockConflicts.class);

    /** Runs of the work in all, the first included. */
    static final int ATTEMPTS = 4;

    private LockConflicts() {}

    /** {@code work}'s result; run again, after a short pause with jitter, each time it lost a lock conflict. */
    static <T> T retrying(Supplier<T> work) {
        BackOffExecution pauses = null;
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (PessimisticLockingFailureException ex) {
                if (attempt >= ATTEMPTS) {
                    throw ex;
                }
                if (pauses == null) {
                    ExponentialBackOff backOff = new ExponentialBackOff(10, 2);
                    backOff.setJitter(5);
                    pauses = backOff.start();
                }
                logger.debug("Lost a lock conflict in the database, running the transaction again: " + ex);
                try {
                    // pauses the engine's own thread before its next try: the winner's transaction ends meanwhile
                    Thread.sleep(pauses.nextBackOff());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw ex;
                }
            }
        }
    }
}
