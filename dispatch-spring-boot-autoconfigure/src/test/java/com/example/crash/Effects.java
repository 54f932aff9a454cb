package com.example.crash;

import dev.dispatch.DispatchFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The side effect of each fanned-out call: a line in an append-only log before the work and one after, tagged with
 * this process's id, so the test can tell what ran, what finished and on which run. Each line is one unbuffered
 * write (nothing waits in this JVM when it is killed), and DSYNC makes it durable before the call goes on.
 */
@Service
public class Effects {

    static final String NAME = "crash.effect";

    private final FileChannel log;

    private final long pid = ProcessHandle.current().pid();

    public Effects(@Value("${crash.effects}") Path effects) throws IOException {
        this.log = FileChannel.open(
                effects,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND,
                StandardOpenOption.DSYNC);
    }

    // a call taken over from the dead node counts a failed attempt: retry it without the default 200 ms backoff
    @DispatchFunction(name = NAME, initialBackoff = "10ms")
    public void apply(int key) {
        write("START " + key + " " + this.pid);
        work(5 + key % 16); // 5 to 20 ms: a few hundred calls keep 8 workers busy long enough to be killed mid-way
        write("DONE " + key + " " + this.pid);
    }

    private static void work(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted at work", ex);
        }
    }

    private void write(String line) {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            synchronized (this.log) {
                while (bytes.hasRemaining()) {
                    this.log.write(bytes);
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
