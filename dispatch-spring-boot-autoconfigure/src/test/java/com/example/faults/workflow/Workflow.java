package com.example.faults.workflow;

import dev.dispatch.Batch;
import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.springframework.stereotype.Service;

/**
 * The root the fault tests interrupt: a batch of fire-and-forget effects, a gather whose calls partly fail once and
 * are retried, an {@code any} whose first calls fail for good, and a second gather fed by the first. Its result
 * depends only on its argument ({@link #expected}), however often it is interrupted.
 */
@Service
public class Workflow {

    public static final String NAME = "faults.workflow";

    private final Dispatcher dispatcher;

    private final Steps steps;

    public Workflow(Dispatcher dispatcher, Steps steps) {
        this.dispatcher = dispatcher;
        this.steps = steps;
    }

    @DispatchFunction(name = NAME, maxAttempts = 10, initialBackoff = "10ms")
    public String run(int size) {
        List<Integer> keys = IntStream.range(0, size).boxed().toList();
        Batch batch = this.dispatcher.batch();
        for (int key : keys) {
            batch.add(() -> this.steps.effect(key));
        }
        batch.dispatch();
        List<Integer> squares = this.dispatcher.gather(keys, this.steps::square);
        List<Supplier<Integer>> picks = new ArrayList<>();
        for (int choice = 0; choice < Steps.PICKS; choice++) {
            int c = choice;
            picks.add(() -> this.steps.pick(c));
        }
        Integer picked = this.dispatcher.any(picks);
        List<Long> scaled = this.dispatcher.gather(squares, this.steps::scale);
        long sum = scaled.stream().mapToLong(Long::longValue).sum();
        return "sum=" + sum + " picked=" + picked;
    }

    /** What {@link #run} returns, computed without the engine. */
    public static String expected(int size) {
        long sum = 0;
        for (int key = 0; key < size; key++) {
            sum += 2L * key * key + 1;
        }
        return "sum=" + sum + " picked=" + (1000 + Steps.PICKS - 1);
    }

    /** The calls {@link #run} makes, each as {@code function:argument}, as the effects log names them. */
    public static List<String> calls(int size) {
        List<String> calls = new ArrayList<>();
        for (int key = 0; key < size; key++) {
            calls.add(Steps.EFFECT + ":" + key);
            calls.add(Steps.SQUARE + ":" + key);
            calls.add(Steps.SCALE + ":" + key * key);
        }
        for (int choice = 0; choice < Steps.PICKS; choice++) {
            calls.add(Steps.PICK + ":" + choice);
        }
        return calls;
    }

    /** Whether the call is planned to fail for good. */
    public static boolean failsForGood(String call) {
        return call.startsWith(Steps.PICK + ":") && !call.equals(Steps.PICK + ":" + (Steps.PICKS - 1));
    }
}
