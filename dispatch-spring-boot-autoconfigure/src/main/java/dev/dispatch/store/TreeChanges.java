package dev.dispatch.store;

import java.time.Instant;
import java.util.List;

/** Changes to whole trees made from outside their attempts: cancelling a tree, ending it at its deadline, retrying a failed call. */
public interface TreeChanges {

    /**
     * Cancels an invocation and every descendant that has not finished: pending ones never start, suspended ones end,
     * running ones lose their hold (their node discards what they return). If the invocation's caller awaits it, it
     * counts as a failure in the caller's step, which may wake the caller.
     *
     * @return the ids cancelled, and the parent woken if any
     */
    InvocationStore.Cancellation cancelTree(String id, Instant now);

    /**
     * Ends the tree whose deadline passed, from the highest unfinished invocation of it whose deadline passed too:
     * every unfinished one FAILED with status TIMEOUT and a {@code DeadlineExceededException} naming that invocation's
     * function and deadline. Otherwise like {@link #cancelTree}.
     *
     * @return the ids ended, and the parent woken if any; nothing if {@code id} has no passed deadline
     */
    InvocationStore.Cancellation expireTree(String id, Instant now);

    /** The tops of the trees to end for their passed deadline, earliest deadline first. */
    List<String> findPastDeadline(Instant now, int limit);

    /**
     * Makes a FAILED invocation pending again with a fresh set of attempts. If its caller's step counted it as a
     * failure, the count is taken back, and the step is decided again by the new outcome when the caller still waits
     * for it or failed because of it.
     *
     * @return whether the invocation was FAILED (and is now pending)
     */
    boolean retryFailed(String id, Instant now);
}
