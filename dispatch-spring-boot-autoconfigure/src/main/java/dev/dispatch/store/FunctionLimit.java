package dev.dispatch.store;

/**
 * How many invocations of one function may run at once when claiming: a limit across all nodes, and this node's own.
 *
 * @param cluster most running across all nodes sharing the database, {@code 0} for none
 * @param node most running on the claiming node, {@code 0} for none
 */
public record FunctionLimit(int cluster, int node) {

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
