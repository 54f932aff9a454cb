package dev.dispatch.engine;

/**
 * The node running an attempt stopped renewing its lease: it crashed, stalled or lost the database. Counts as a
 * failed attempt, so a call that kills its node each time ends FAILED instead of taking down node after node.
 */
final class LeaseExpiredException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    LeaseExpiredException(int attempt) {
        super("Attempt " + attempt + " stopped renewing its lease (its node crashed, stalled or lost the database)");
    }
}
