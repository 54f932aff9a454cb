package com.example.faults.stall;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/**
 * A parent whose first attempt waits in its body, before its direct call of a child, until the test lets it go on:
 * long after its lease expired and its next attempt ran the child and finished.
 */
@Service
public class Stalling {

    private final FirstAttempt first;

    private final Dispatcher dispatcher;

    private final Stalling self;

    public Stalling(FirstAttempt first, Dispatcher dispatcher, @Lazy Stalling self) {
        this.first = first;
        this.dispatcher = dispatcher;
        this.self = self;
    }

    @DispatchFunction(name = "stall.parent", maxAttempts = 3, initialBackoff = "10ms")
    public String parent() {
        int attempt = this.dispatcher.current().orElseThrow().attempt();
        if (attempt > 1) {
            return "attempt " + attempt + " got " + this.self.child();
        }
        this.first.inBody.countDown();
        awaitLetGoOn();
        try {
            return "attempt 1 got " + this.self.child();
        } catch (Throwable ex) {
            this.first.unwoundBy = ex;
            throw ex;
        } finally {
            this.first.done.countDown();
        }
    }

    private void awaitLetGoOn() {
        try {
            if (!this.first.letGoOn.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the first attempt go on");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @DispatchFunction(name = "stall.child")
    public String child() {
        return "run " + this.first.childRuns.incrementAndGet();
    }
}
