package dev.dispatch.engine;

import dev.dispatch.NonDeterminismException;
import dev.dispatch.aop.FunctionDefinition;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.codec.JsonCodec;
import dev.dispatch.store.CallGroup;
import dev.dispatch.store.ChildOutcome;
import dev.dispatch.store.ClaimedInvocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a root's function on today's code against a recorded history, as a replay after a deploy would: every durable
 * step answers from the history, nothing is recorded and no call runs. Where the history's run waited (an undecided
 * step) the replay stops, as the run would suspend; where today's code makes another step than the history holds it
 * throws {@link NonDeterminismException}.
 */
final class Replayer {

    private final FunctionRegistry registry;

    private final JsonCodec codec;

    private final AttemptRunner runner;

    Replayer(FunctionRegistry registry, JsonCodec codec, AttemptRunner runner) {
        this.registry = registry;
        this.codec = codec;
        this.runner = runner;
    }

    void replay(ReplayHistory history) {
        FunctionDefinition function = this.registry.byName(history.function());
        if (function == null) {
            throw new IllegalArgumentException("The history is a run of " + history.function()
                    + ", which is not a @DispatchFunction of this application (functions: "
                    + this.registry.names() + ")");
        }
        Map<Integer, CallGroup> steps = new HashMap<>();
        history.steps().forEach(step -> steps.put(step.getStepIndex(), step));
        Map<String, List<ChildOutcome>> outcomes = new HashMap<>();
        for (ChildOutcome child : history.children()) {
            outcomes.computeIfAbsent(child.groupId(), id -> new ArrayList<>()).add(child);
        }
        outcomes.values().forEach(list -> list.sort((a, b) -> Integer.compare(a.position(), b.position())));
        ClaimedInvocation root = new ClaimedInvocation(
                history.rootId(),
                function.name(),
                history.arguments(),
                1,
                function.maxAttempts(),
                null,
                history.rootId(),
                null,
                null,
                Instant.EPOCH,
                true,
                null,
                null,
                0,
                0, // priority and turn: this hold never goes through a claim
                0);
        Execution execution = Execution.enter(root, function, "replay");
        execution.replayFrom(Journal.of(steps, outcomes), history.finished());
        Throwable failure = null;
        try {
            Object[] arguments =
                    this.codec.decodeArguments(function.name(), history.arguments(), function.parameterTypes());
            this.runner.invoke(function, arguments);
        } catch (SuspendSignal stop) {
            // the recorded run waits here: everything before matched
        } catch (NonDeterminismException ex) {
            throw ex;
        } catch (Throwable ex) {
            failure = ex;
        } finally {
            execution.exit();
        }
        NonDeterminismException swallowed = execution.nonDeterminism();
        if (swallowed != null) {
            throw swallowed;
        }
        if (execution.isSuspended()) {
            return;
        }
        // Some steps leave no record (a signal sent, an empty gather or batch), so the recorded steps' indexes can
        // have gaps: a step the run skipped is one recorded at or after the steps taken, not one counted past them.
        CallGroup missing = history.finished()
                ? steps.values().stream()
                        .filter(step -> step.getStepIndex() >= execution.stepsTaken())
                        .min(Comparator.comparingInt(CallGroup::getStepIndex))
                        .orElse(null)
                : null;
        if (missing != null) {
            throw new NonDeterminismException(
                    function.name(),
                    missing.getStepIndex(),
                    "a " + missing.getKind().name().toLowerCase(Locale.ROOT) + " step",
                    "no more durable calls (it " + (failure != null ? "threw " + failure : "returned") + ")");
        }
        if (failure != null && !"FAILED".equals(history.status())) {
            throw new IllegalStateException(
                    "Replaying " + function.name() + " [" + history.rootId() + "] threw where the recorded run "
                            + ("SUCCEEDED".equals(history.status()) ? "succeeded" : "went on") + ": " + failure,
                    failure);
        }
    }

    /** A step the history does not hold: the end of an unfinished history, or a different run. */
    static RuntimeException beyondHistory(Execution execution, int step, String made) {
        if (!execution.replaysFinishedRun()) {
            throw execution.suspend();
        }
        return execution.nonDeterministic(new NonDeterminismException(
                execution.function().name(), step, "no step here (the recorded run ended after " + step + ")", made));
    }

    /** A recorded sleep: over if the history goes on after it (or ended); else the replay stops there. */
    static void pastSleep(Execution execution, int step) {
        if (!execution.replaysFinishedRun()
                && execution.journal(() -> Journal.EMPTY).step(step + 1) == null) {
            throw execution.suspend();
        }
    }
}
