package dev.dispatch.sample.mail;

import dev.dispatch.sample.notify.EmailNotifications;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The embedded SMTP server's record of every message it accepted, one line per recipient ({@code run recipient
 * Message-ID}), appended to a file that outlives the process. Each line is one unbuffered write, so a kill -9 of the
 * application loses none that were written (the operating system holds them).
 */
public class ReceivedMailLog {

    private final Path file;

    private final FileChannel channel;

    ReceivedMailLog(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        this.file = file;
        this.channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    void append(MimeMessage message, String recipient) {
        String line;
        try {
            String[] run = message.getHeader(EmailNotifications.RUN_HEADER);
            line = (run != null ? run[0] : "-") + " " + recipient + " " + message.getMessageID() + "\n";
        } catch (MessagingException ex) {
            throw new IllegalStateException("Unreadable message for " + recipient, ex);
        }
        ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        try {
            synchronized (this.channel) {
                while (bytes.hasRemaining()) {
                    this.channel.write(bytes);
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The Message-IDs of the messages of this run each recipient received, over every start of the application. */
    public Map<String, List<String>> messageIdsByRecipient(String runId) {
        Map<String, List<String>> received = new TreeMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(this.file, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        for (String line : lines) {
            String[] fields = line.split(" ");
            if (fields.length == 3 && fields[0].equals(runId)) {
                received.computeIfAbsent(fields[1], recipient -> new ArrayList<>())
                        .add(fields[2]);
            }
        }
        return received;
    }

    public Path file() {
        return this.file;
    }

    void close() throws IOException {
        this.channel.close();
    }
}
