package dev.dispatch;

import java.util.List;

/**
 * Fire-and-forget calls recorded together: {@link #dispatch()} records all of them or none.
 *
 * @see Dispatcher#batch()
 */
public interface Batch {

    /** Adds a call, a lambda invoking one {@link DispatchFunction} method; nothing is recorded yet. */
    Batch add(Runnable call);

    /** Records every added call at once and returns their ids in the order they were added. */
    List<DispatchId> dispatch();
}
