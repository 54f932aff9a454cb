package dev.dispatch.store;

/**
 * How many invocations of one function may start when claiming: a limit across all nodes, this node's own, a rate
 * across all nodes, and a limit per value of its concurrency key across all nodes.
 *
 * @param cluster most running across all nodes sharing the database, {@code 0} for none
 * @param node most running on the claiming node, {@code 0} for none
 * @param ratePermits most started per {@code ratePeriodMillis} across all nodes, {@code 0} for no rate limit
 * @param ratePeriodMillis the rate's period
 * @param perKey most running with the same concurrency key across all nodes, {@code 0} for none
 */
public record FunctionLimit(int cluster, int node, int ratePermits, long ratePeriodMillis, int perKey) {

    /** Limits without a concurrency key. */
    public FunctionLimit(int cluster, int node, int ratePermits, long ratePeriodMillis) {
        this(cluster, node, ratePermits, ratePeriodMillis, 0);
    }

    /** Concurrency limits without a rate. */
    public FunctionLimit(int cluster, int node) {
        this(cluster, node, 0, 0);
    }

    /** Whether running invocations are counted per value of the function's concurrency key. */
    boolean keyed() {
        return this.perKey > 0;
    }

    /** Whether starts are limited by a rate. */
    boolean hasRate() {
        return this.ratePermits > 0 && this.ratePeriodMillis > 0;
    }

    /** Whether running invocations are counted (a concurrency limit). */
    boolean countsRunning() {
        return this.cluster > 0 || this.node > 0;
    }

    /** How many more may start now, given how many run across the nodes and on this node. */
    int room(int runningEverywhere, int runningHere) {
        int room = Integer.MAX_VALUE;
        if (this.cluster > 0) {
            room = this.cluster - runningEverywhere;
        }
        if (this.node > 0) {
            room = Math.min(room, this.node - runningHere);
        }
        return Math.max(0, room);
    }
}
