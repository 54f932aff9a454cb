package dev.dispatch.engine;

import org.jspecify.annotations.Nullable;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The engine's own short transactions, which must never join a caller's: on a thread with no transaction scope (a
 * worker, the scheduler, the writer) a plain JDBC transaction, with no persistence context to open and close; inside
 * a caller's transaction scope a new transaction of the application's manager, which suspends the caller's properly.
 * Each runs again if the database made it the loser of a deadlock: every callback given here only reads and writes
 * the database.
 */
final class OwnTransactions implements TransactionOperations {

    private final TransactionTemplate jdbc;

    private final TransactionTemplate requiresNew;

    OwnTransactions(TransactionTemplate jdbc, TransactionTemplate requiresNew) {
        this.jdbc = jdbc;
        this.requiresNew = requiresNew;
    }

    /** Runs {@code action} in a transaction of its own, again if it lost a lock conflict ({@link LockConflicts}). */
    @Override
    @SuppressWarnings("NullAway") // Spring's execute returns a nullable T, which NullAway reads in JSpecify mode only
    public <T> @Nullable T execute(TransactionCallback<T> action) throws TransactionException {
        return LockConflicts.retrying(() -> inScope() ? this.requiresNew.execute(action) : this.jdbc.execute(action));
    }

    /** Whether this thread is inside a transaction scope of some transaction manager (active or suspended). */
    static boolean inScope() {
        return TransactionSynchronizationManager.isSynchronizationActive()
                || TransactionSynchronizationManager.isActualTransactionActive();
    }
}
