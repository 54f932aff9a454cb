package dev.dispatch.engine;

import dev.dispatch.Batch;
import dev.dispatch.DispatchId;
import java.util.ArrayList;
import java.util.List;

/** Collects calls and records them all in one step (or one transaction, outside a durable function). */
final class DefaultBatch implements Batch {

    private final Engine engine;

    private final List<Captured> calls = new ArrayList<>();

    private boolean dispatched;

    DefaultBatch(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Batch add(Runnable call) {
        if (this.dispatched) {
            throw new IllegalStateException("This batch was already dispatched; start another with dispatcher.batch()");
        }
        this.engine.checkStepSize("batch.add(...)", this.calls.size() + 1);
        this.calls.add(this.engine.capture("batch.add(...)", call));
        return this;
    }

    @Override
    public List<DispatchId> dispatch() {
        if (this.dispatched) {
            throw new IllegalStateException("This batch was already dispatched; start another with dispatcher.batch()");
        }
        this.dispatched = true;
        return this.engine.dispatchBatch(this.calls);
    }
}
