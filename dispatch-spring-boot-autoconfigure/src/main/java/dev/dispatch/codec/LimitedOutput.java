package dev.dispatch.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of one JSON text, refusing to grow past a limit: the writer stops at the limit instead of building a text
 * (or a tree) of any size first and measuring it after.
 */
final class LimitedOutput extends OutputStream {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);

    private final long limit;

    private boolean exceeded;

    LimitedOutput(long limit) {
        this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
        reserve(1);
        this.bytes.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        reserve(len);
        this.bytes.write(b, off, len);
    }

    private void reserve(int len) throws IOException {
        if (this.bytes.size() + (long) len > this.limit) {
            this.exceeded = true;
            throw new LimitExceeded();
        }
    }

    /** Whether a write went past the limit; what the writer says then is a consequence, not the cause. */
    boolean exceeded() {
        return this.exceeded;
    }

    String text() {
        return this.bytes.toString(StandardCharsets.UTF_8);
    }

    /** Thrown into the JSON writer to stop it; callers look at {@link #exceeded()}. */
    static final class LimitExceeded extends IOException {

        private static final long serialVersionUID = 1L;

        LimitExceeded() {
            super("payload limit reached", null);
        }
    }
}
