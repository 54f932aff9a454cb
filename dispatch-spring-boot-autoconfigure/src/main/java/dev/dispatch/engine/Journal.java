package dev.dispatch.engine;

import dev.dispatch.store.CallGroup;
import dev.dispatch.store.ChildOutcome;
import dev.dispatch.store.InvocationStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a parent recorded in earlier runs: its steps, and the outcomes of the children of each decided step. Loaded in
 * two queries when a replay reaches its first durable operation.
 */
final class Journal {

    static final Journal EMPTY = new Journal(Map.of(), Map.of());

    private final Map<Integer, CallGroup> steps;

    private final Map<String, List<ChildOutcome>> outcomes;

    private Journal(Map<Integer, CallGroup> steps, Map<String, List<ChildOutcome>> outcomes) {
        this.steps = steps;
        this.outcomes = outcomes;
    }

    /** A journal read from elsewhere than the store: a history the test kit replays. */
    static Journal of(Map<Integer, CallGroup> steps, Map<String, List<ChildOutcome>> outcomes) {
        return new Journal(Map.copyOf(steps), Map.copyOf(outcomes));
    }

    static Journal load(InvocationStore store, String parentId) {
        Map<Integer, CallGroup> steps = new HashMap<>();
        for (CallGroup group : store.findGroups(parentId)) {
            steps.put(group.getStepIndex(), group);
        }
        if (steps.isEmpty()) {
            return EMPTY;
        }
        Map<String, List<ChildOutcome>> outcomes = new HashMap<>();
        for (ChildOutcome outcome : store.findDecidedChildOutcomes(parentId)) {
            outcomes.computeIfAbsent(outcome.groupId(), id -> new ArrayList<>()).add(outcome);
        }
        return new Journal(steps, outcomes);
    }

    /** The step recorded at this index, if any. */
    @Nullable
    CallGroup step(int index) {
        return this.steps.get(index);
    }

    /** The children's outcomes of a step that was decided when the journal was loaded. */
    @Nullable
    List<ChildOutcome> outcomes(String groupId) {
        return this.outcomes.get(groupId);
    }
}
