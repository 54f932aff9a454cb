package dev.dispatch.store;

import java.util.Comparator;
import org.jspecify.annotations.Nullable;

/**
 * The order in which due calls are claimed: higher priority first; among equal priorities, lower turns first; then
 * the longest due. A call's turn is where it comes in its caller's work: its caller's step plus its position in that
 * step's batch, {@code 0} for a root. The {@code k}-th call of a 100,000-call fan-out therefore waits behind the first
 * calls of every other tree, not behind the 99,999 before it, and a small tree's calls start within a claim or two
 * while a large one runs (docs/decisions.md, "Fairness"). The order is one index ({@code dispatch_invocation_claim},
 * schema version 6) read in order, so a claim costs what a claim by due time alone did.
 */
public final class ClaimOrder {

    /**
     * The claim's order over the invocation table. It starts with {@code status}, equal for all pending calls, so that
     * H2 and MySQL see the order of the claim index (which starts with it) and read it in order instead of sorting.
     */
    static final String ORDER_BY = "ORDER BY status, priority DESC, call_turn, next_attempt_at";

    /** The index that holds pending calls in claim order (schema version 6). */
    static final String INDEX = "dispatch_invocation_claim";

    /** The same order over the table as {@code i}. */
    static final String ORDER_BY_I = "ORDER BY i.priority DESC, i.call_turn, i.next_attempt_at";

    /**
     * The same order over the calls one claim took, whose rows the database returns in no particular order: higher
     * priority first, then lower turn (a stable sort keeps the claim's order otherwise).
     */
    public static final Comparator<ClaimedInvocation> CLAIMED =
            Comparator.comparingInt(ClaimedInvocation::priority).reversed().thenComparingInt(ClaimedInvocation::turn);

    private ClaimOrder() {}

    /** The turn of a call made at {@code step} of its caller, at {@code position} in that step's batch. */
    public static int turn(@Nullable Integer step, @Nullable Integer position) {
        long turn = (long) ((step != null) ? step : 0) + ((position != null) ? position : 0);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, turn));
    }
}
