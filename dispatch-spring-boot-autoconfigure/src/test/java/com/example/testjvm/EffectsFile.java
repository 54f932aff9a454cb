package com.example.testjvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An append-only log of side effects that outlives its process: each line is one unbuffered write (nothing waits in
 * the JVM when it is killed), and DSYNC makes it durable before the caller goes on. Several processes may append to
 * the same file, one after the other.
 */
public final class EffectsFile {

    private final FileChannel log;

    public EffectsFile(Path file) throws IOException {
        this.log = FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND,
                StandardOpenOption.DSYNC);
    }

    /** Appends one line (the newline is added). */
    public void write(String line) {
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
