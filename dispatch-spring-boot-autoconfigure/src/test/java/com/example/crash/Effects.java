package com.example.crash;

import com.example.support.EffectLog;
import dev.dispatch.DispatchFunction;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The side effect of each fanned-out call: a line in an append-only log before the work and one after, tagged with
 * this process's id, so the test can tell what ran, what finished and on which run. Each line is one unbuffered
 * write (nothing waits in this JVM when it is killed), forced to disk before the call goes on.
 */
@Service
public class Effects implements DisposableBean {

    static final String NAME = "crash.effect";

    private final EffectLog.Writer log;

    public Effects(@Value("${crash.effects}") Path effects) throws IOException {
        this.log = new EffectLog.Writer(effects, "crash");
    }

    // a call taken over from the dead node counts a failed attempt: retry it without the default 200 ms backoff
    @DispatchFunction(name = NAME, initialBackoff = "10ms")
    public void apply(int key) {
        this.log.start(NAME, key);
        work(5 + key % 16); // 5 to 20 ms: a few hundred calls keep 8 workers busy long enough to be killed mid-way
        this.log.done(NAME, key);
    }

    private static void work(long millis) {
        try {
            // stands for a call that takes time: the test needs it running, not a delay to wait out
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted at work", ex);
        }
    }

    @Override
    public void destroy() throws IOException {
        this.log.close();
    }
}
