package com.example.faults.workflow;

import com.example.support.EffectLog;
import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import dev.dispatch.PermanentFailureException;
import dev.dispatch.TemporaryFailureException;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The calls the workflow makes. Each run of a body appends lines to the effects log, tagged with the call, this
 * process's id, the attempt and the time: {@code START} when work begins and {@code DONE} when it ends, {@code FAIL}
 * for a planned permanent failure and {@code FAIL-ONCE} for a planned temporary one. A {@code START} or {@code FAIL}
 * line is one run of the call; the test checks that each call runs once, or more only when a fault interrupted it.
 *
 * <p>Retries after a crash or a planned failure wait 10 ms rather than the default 200 ms; 10 attempts leave room for
 * an attempt lost to each crash on top of the planned failure.
 */
@Service
public class Steps {

    public static final String EFFECT = "faults.effect";

    public static final String SQUARE = "faults.square";

    public static final String PICK = "faults.pick";

    public static final String SCALE = "faults.scale";

    /** How many calls the {@code any} step makes; all but the last fail for good. */
    public static final int PICKS = 4;

    private final Dispatcher dispatcher;

    private final EffectLog.Writer log;

    private final int workMillis;

    private final long pid = ProcessHandle.current().pid();

    public Steps(
            Dispatcher dispatcher,
            @Value("${faults.effects}") Path effects,
            @Value("${faults.work-millis:2}") int workMillis)
            throws IOException {
        this.dispatcher = dispatcher;
        this.log = new EffectLog.Writer(effects, "faults");
        this.workMillis = workMillis;
    }

    /** A fire-and-forget side effect. */
    @DispatchFunction(name = EFFECT, maxAttempts = 10, initialBackoff = "10ms")
    public void effect(int key) {
        run(EFFECT, key);
    }

    /** Every third key fails on its first attempt (a temporary failure, retried); the result is key². */
    @DispatchFunction(name = SQUARE, maxAttempts = 10, initialBackoff = "10ms")
    public int square(int key) {
        if (key % 3 == 0 && attempt() == 1) {
            write("FAIL-ONCE", SQUARE, key);
            throw new TemporaryFailureException("planned: " + SQUARE + "(" + key + ") fails on its first attempt");
        }
        run(SQUARE, key);
        return key * key;
    }

    /** Choices before the last fail for good; the last one gives 1000 + choice. */
    @DispatchFunction(name = PICK, maxAttempts = 10, initialBackoff = "10ms")
    public int pick(int choice) {
        if (choice < PICKS - 1) {
            write("FAIL", PICK, choice);
            throw new PermanentFailureException("planned: " + PICK + "(" + choice + ") fails for good");
        }
        run(PICK, choice);
        return 1000 + choice;
    }

    /** Fed by the squares: 2x + 1. */
    @DispatchFunction(name = SCALE, maxAttempts = 10, initialBackoff = "10ms")
    public long scale(int square) {
        run(SCALE, square);
        return 2L * square + 1;
    }

    private void run(String function, int argument) {
        write("START", function, argument);
        // between 1 and 5 units of work, so that calls finish out of order
        sleep(this.workMillis * (1 + Math.floorMod(argument, 5)));
        write("DONE", function, argument);
    }

    private int attempt() {
        return this.dispatcher.current().orElseThrow().attempt();
    }

    private void write(String kind, String function, int argument) {
        this.log.line(kind + " " + function + ":" + argument + " " + this.pid + " " + attempt() + " "
                + System.currentTimeMillis());
    }

    private static void sleep(long millis) {
        try {
            // stands for a call that takes time: the test needs it running, not a delay to wait out
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted at work", ex);
        }
    }
}
