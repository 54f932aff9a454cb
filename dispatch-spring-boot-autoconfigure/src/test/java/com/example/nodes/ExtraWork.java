package com.example.nodes;

import com.example.support.EffectLog;
import dev.dispatch.DispatchFunction;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Service;

/**
 * A function only some nodes have, as in a rolling deploy that adds it: a node started with
 * {@code --nodes.extra=false} has no such bean, so {@value #NAME} is not registered there.
 */
@Service
@ConditionalOnProperty(name = "nodes.extra", havingValue = "true", matchIfMissing = true)
public class ExtraWork {

    static final String NAME = "extra.work";

    private final EffectLog.Writer log;

    public ExtraWork(EffectLog.Writer log) {
        this.log = log;
    }

    @DispatchFunction(name = NAME, initialBackoff = "10ms")
    public void apply(int key) {
        this.log.start(NAME, key);
        Work.sleep(5 + key % 16);
        this.log.done(NAME, key);
    }
}
