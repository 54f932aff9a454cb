package dev.dispatch.engine;

import dev.dispatch.store.CallGroup;
import dev.dispatch.store.ChildOutcome;
import java.util.List;

/**
 * A root's record as the test kit exports it ({@code DispatchTester.exportHistory}), read back for a replay.
 *
 * @param rootId the root's id (child ids and step keys derive from it)
 * @param function the root's function
 * @param arguments the root's arguments (JSON)
 * @param status the root's status when exported
 * @param steps its recorded steps
 * @param children the outcomes of its steps' calls
 */
public record ReplayHistory(
        String rootId,
        String function,
        String arguments,
        String status,
        List<CallGroup> steps,
        List<ChildOutcome> children) {

    /** Whether the recorded run had finished: then today's code may make no step beyond the last recorded one. */
    boolean finished() {
        return "SUCCEEDED".equals(this.status) || "FAILED".equals(this.status) || "CANCELLED".equals(this.status);
    }
}
