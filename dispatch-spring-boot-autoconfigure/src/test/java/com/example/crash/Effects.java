package com.example.crash;

import com.example.testjvm.EffectsFile;
import dev.dispatch.DispatchFunction;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The side effect of each fanned-out call: a line in an append-only log before the work and one after, tagged with
 * this process's id, so the test can tell what ran, what finished and on which run; see {@link EffectsFile}.
 */
@Service
public class Effects {

    static final String NAME = "crash.effect";

    private final EffectsFile log;

    private final long pid = ProcessHandle.current().pid();

    public Effects(@Value("${crash.effects}") Path effects) throws IOException {
        this.log = new EffectsFile(effects);
    }

    // a call taken over from the dead node counts a failed attempt: retry it without the default 200 ms backoff
    @DispatchFunction(name = NAME, initialBackoff = "10ms")
    public void apply(int key) {
        this.log.write("START " + key + " " + this.pid);
        work(5 + key % 16); // 5 to 20 ms: a few hundred calls keep 8 workers busy long enough to be killed mid-way
        this.log.write("DONE " + key + " " + this.pid);
    }

    private static void work(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted at work", ex);
        }
    }
}
