package com.example.simulation;

import dev.dispatch.Batch;
import dev.dispatch.CallFailedException;
import dev.dispatch.DispatchFunction;
import dev.dispatch.DispatchOptions;
import dev.dispatch.Dispatcher;
import dev.dispatch.TemporaryFailureException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * The parents of the simulated trees: each runs its plan's steps in order (direct calls, batch, gather, any, race,
 * sleep, keyed dispatch) and writes what each step answered into its END line, e.g. {@code v=L3;[L4,P5#1a2b];B;S}.
 * A step marked catching catches any {@link RuntimeException}, as user code does, and notes it as
 * {@code F:<type>[:<id of the failed call>]}. Its value is {@code P<node>#<hash of what it saw>}.
 */
@Service
public class Parents {

    private final Dispatcher dispatcher;

    private final Leaves leaves;

    private final ObjectProvider<Parents> self;

    private final BodyLog log;

    Parents(Dispatcher dispatcher, Leaves leaves, ObjectProvider<Parents> self, BodyLog log) {
        this.dispatcher = dispatcher;
        this.leaves = leaves;
        this.self = self;
        this.log = log;
    }

    @DispatchFunction(name = "sim.parent", maxAttempts = 3, initialBackoff = "10ms", maxBackoff = "50ms")
    public String parent(String key) {
        Plan plan = Plan.forKey(key);
        Plan.Node node = plan.node(Plan.nodeOf(key));
        BodyLog.Run run = this.log.start(key);
        StringBuilder seen = new StringBuilder();
        try {
            failOnce(node, run, -1);
            for (int s = 0; s < node.steps().size(); s++) {
                seen.append(s > 0 ? ";" : "").append(step(plan, node.steps().get(s)));
                failOnce(node, run, s);
            }
            String value = value(node, seen.toString());
            this.log.end(run, true, seen.toString());
            return value;
        } catch (Throwable ex) { // a checked exception too, thrown undeclared
            this.log.end(run, false, ex.getClass().getSimpleName() + "@" + seen);
            throw ex;
        }
    }

    static String value(Plan.Node node, String seen) {
        return "P" + node.index() + "#" + Integer.toHexString(seen.hashCode());
    }

    private static void failOnce(Plan.Node node, BodyLog.Run run, int step) {
        if (node.failAfterStep() == step && run.attempt() == 1) {
            throw new TemporaryFailureException("Simulated failure of a parent's first attempt after step " + step);
        }
    }

    private String step(Plan plan, Plan.Step step) {
        List<Integer> children = step.children();
        try {
            return switch (step.kind()) {
                case DIRECT -> "v=" + call(plan, children.get(0));
                case GATHER -> "[" + String.join(",", this.dispatcher.gather(suppliers(plan, children))) + "]";
                case ANY -> "v=" + this.dispatcher.any(suppliers(plan, children));
                case RACE -> "v=" + this.dispatcher.race(suppliers(plan, children));
                case BATCH -> {
                    Batch batch = this.dispatcher.batch();
                    children.forEach(c -> batch.add(() -> call(plan, c)));
                    batch.dispatch();
                    yield "B";
                }
                case SLEEP -> {
                    this.dispatcher.sleep(Duration.ofMillis(step.sleepMillis()));
                    yield "S";
                }
                case PASS ->
                    "v=" + this.leaves.echo(plan.key(children.get(1)), this.leaves.stamp(plan.key(children.get(0))));
                case KEYED -> {
                    String key = plan.key(children.get(0));
                    this.dispatcher.dispatch(
                            () -> call(plan, children.get(0)), DispatchOptions.idempotencyKey("sim-" + key));
                    yield "K";
                }
            };
        } catch (RuntimeException ex) {
            if (!step.catching()) {
                throw ex;
            }
            String failed =
                    (ex instanceof CallFailedException call) ? ":" + call.id().value() : "";
            return "F:" + ex.getClass().getSimpleName() + failed;
        }
    }

    private List<Supplier<String>> suppliers(Plan plan, List<Integer> children) {
        return children.stream()
                .map(c -> (Supplier<String>) () -> call(plan, c))
                .toList();
    }

    private String call(Plan plan, int child) {
        String key = plan.key(child);
        return switch (plan.node(child).kind()) {
            case PARENT -> this.self.getObject().parent(key);
            case LEAF -> this.leaves.leaf(key);
            case ONCE -> this.leaves.once(key);
            case STAMP, ECHO -> throw new IllegalStateException("only in a PASS step");
        };
    }
}
