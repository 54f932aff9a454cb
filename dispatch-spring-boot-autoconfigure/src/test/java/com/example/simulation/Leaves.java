package com.example.simulation;

import dev.dispatch.DispatchFunction;
import dev.dispatch.PermanentFailureException;
import dev.dispatch.TemporaryFailureException;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.stereotype.Service;

/**
 * The leaves of the simulated trees. A leaf works a while, then behaves as its plan says on this attempt: returns
 * {@code L<node>}, fails for now, times out, throws something odd, or fails for good. A leaf the operator repaired
 * returns. {@code sim.leaf} has attempts to spare for the faults; {@code sim.once} has one.
 */
@Service
public class Leaves {

    private final BodyLog log;

    Leaves(BodyLog log) {
        this.log = log;
    }

    @DispatchFunction(name = "sim.leaf", maxAttempts = 6, initialBackoff = "10ms", maxBackoff = "50ms", timeout = "2s")
    public String leaf(String key) {
        return run(key);
    }

    @DispatchFunction(name = "sim.once", maxAttempts = 1, timeout = "2s")
    public String once(String key) {
        return run(key);
    }

    @DispatchFunction(name = "sim.stamp", initialBackoff = "10ms")
    public OffsetDateTime stamp(String key) {
        run(key);
        return OffsetDateTime.of(2026, 12, 1, 20, 0, Plan.nodeOf(key) % 60, 0, ZoneOffset.ofHours(2));
    }

    @DispatchFunction(name = "sim.echo", initialBackoff = "10ms")
    public String echo(String key, OffsetDateTime time) {
        return run(key) + "@" + time.toInstant();
    }

    private String run(String key) {
        Plan.Node node = Plan.forKey(key).node(Plan.nodeOf(key));
        BodyLog.Run run = this.log.start(key);
        try {
            String value = behave(key, node, run.attempt());
            this.log.end(run, true, value);
            return value;
        } catch (Throwable ex) { // a checked exception too, thrown undeclared
            this.log.end(run, false, ex.getClass().getSimpleName());
            throw ex;
        }
    }

    private String behave(String key, Plan.Node node, int attempt) {
        sleep(node.workMillis());
        String value = "L" + node.index();
        if (this.log.repaired(key)) {
            return value;
        }
        boolean failing = attempt <= node.failures();
        switch (node.behaviour()) {
            case TEMPORARY -> {
                if (failing) {
                    throw new TemporaryFailureException("Simulated temporary failure of " + key);
                }
            }
            case TIMEOUT -> {
                if (failing) {
                    sleep(5_000); // past the attempt's timeout: interrupted
                }
            }
            case ODD -> {
                if (failing) {
                    throw Leaves.<RuntimeException>odd(node.odd(), key);
                }
            }
            case PERMANENT -> throw new PermanentFailureException("Simulated permanent failure of " + key);
            case EXHAUST -> throw new TemporaryFailureException("Simulated failure of " + key + " on every attempt");
            case OK -> {}
        }
        return value;
    }

    /** Thrown as the caller's type: a checked exception escapes undeclared, as from Kotlin or Lombok's sneaky throws. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T odd(String kind, String key) throws T {
        Throwable odd = switch (kind) {
            case "nul" -> new IllegalStateException("Odd failure of " + key + " with a \u0000 in its message");
            case "long" -> new IllegalStateException("Odd failure of " + key + ": " + "x".repeat(200_000));
            case "nullmessage" -> new NullPointerException();
            case "checked" -> new IOException("Odd checked failure of " + key);
            case "error" -> new AssertionError("Odd error of " + key);
            case "cycle" -> {
                RuntimeException a = new RuntimeException("Odd failure of " + key + " whose causes go round");
                RuntimeException b = new RuntimeException("its cause", a);
                a.initCause(b);
                yield a;
            }
            default -> throw new IllegalArgumentException(kind);
        };
        throw (T) odd;
    }

    static void sleep(long millis) {
        try {
            // stands for a call that takes time: the simulation needs calls in flight when faults strike
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", ex);
        }
    }
}
