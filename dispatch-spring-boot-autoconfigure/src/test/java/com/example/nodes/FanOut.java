package com.example.nodes;

import dev.dispatch.Batch;
import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import org.springframework.stereotype.Service;

/** The root: one durable function that records a batch of {@link Work} calls, which the nodes then share. */
@Service
public class FanOut {

    static final String NAME = "nodes.fanOut";

    private final Dispatcher dispatcher;

    private final Work work;

    public FanOut(Dispatcher dispatcher, Work work) {
        this.dispatcher = dispatcher;
        this.work = work;
    }

    @DispatchFunction(name = NAME)
    public void fanOut(int calls) {
        Batch batch = this.dispatcher.batch();
        for (int key = 0; key < calls; key++) {
            int k = key;
            batch.add(() -> this.work.apply(k));
        }
        batch.dispatch();
    }
}
