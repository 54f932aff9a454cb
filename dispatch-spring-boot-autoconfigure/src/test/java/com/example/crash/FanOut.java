package com.example.crash;

import dev.dispatch.Batch;
import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import org.springframework.stereotype.Service;

/** The workflow that gets killed: one root that fans out a batch of effects. */
@Service
public class FanOut {

    static final String NAME = "crash.fanOut";

    private final Dispatcher dispatcher;

    private final Effects effects;

    public FanOut(Dispatcher dispatcher, Effects effects) {
        this.dispatcher = dispatcher;
        this.effects = effects;
    }

    @DispatchFunction(name = NAME)
    public void fanOut(int calls) {
        Batch batch = this.dispatcher.batch();
        for (int key = 0; key < calls; key++) {
            int k = key;
            batch.add(() -> this.effects.apply(k));
        }
        batch.dispatch();
    }
}
