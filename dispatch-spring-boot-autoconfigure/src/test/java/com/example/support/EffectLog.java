package com.example.support;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An append-only log of side effects that the test JVMs' durable functions write and the tests read: one line
 * {@code START <function> <key> <node> <pid>} before a call's work and one {@code DONE ...} after, so a test can tell
 * what ran, what finished, how often, on which node and in which process.
 *
 * <p>Several JVMs may append to one file: the file is opened with {@code O_APPEND} and each line is one
 * {@code write(2)} of a few dozen bytes, which Linux appends atomically (the inode lock covers the seek to the end and
 * the copy), so lines of different processes never interleave; the order of the lines is the order of the writes.
 * Each line is forced to disk before the call goes on, so a line is there even when its process is killed right after.
 */
public record EffectLog(List<Entry> entries) {

    public static final String START = "START";

    public static final String DONE = "DONE";

    /**
     * Reads the complete lines of the log. The nodes may be writing: a line whose end is not there yet is left out.
     */
    public static EffectLog read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new EffectLog(List.of());
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<Entry> entries = new ArrayList<>();
        int start = 0;
        for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
            String line = text.substring(start, end);
            if (!line.isBlank()) {
                entries.add(Entry.parse(line));
            }
            start = end + 1;
        }
        return new EffectLog(List.copyOf(entries));
    }

    public int size() {
        return this.entries.size();
    }

    /** The entries from the given position on: what was written after a snapshot of {@code from} entries. */
    public EffectLog since(int from) {
        return new EffectLog(this.entries.subList(Math.min(from, size()), size()));
    }

    public long count(String kind) {
        return this.entries.stream().filter(e -> e.kind().equals(kind)).count();
    }

    public long count(String kind, String function) {
        return this.entries.stream()
                .filter(e -> e.kind().equals(kind) && e.function().equals(function))
                .count();
    }

    public long count(String kind, String function, int key) {
        return this.entries.stream()
                .filter(e -> e.kind().equals(kind) && e.function().equals(function) && e.key() == key)
                .count();
    }

    public long count(String kind, String function, int key, long pid) {
        return this.entries.stream()
                .filter(e -> e.kind().equals(kind) && e.function().equals(function) && e.key() == key && e.pid() == pid)
                .count();
    }

    /** The entries of one kind and function by key, in log order. */
    public Map<Integer, List<Entry>> byKey(String kind, String function) {
        Map<Integer, List<Entry>> byKey = new TreeMap<>();
        for (Entry entry : this.entries) {
            if (entry.kind().equals(kind) && entry.function().equals(function)) {
                byKey.computeIfAbsent(entry.key(), k -> new ArrayList<>()).add(entry);
            }
        }
        return byKey;
    }

    /** How many entries of one kind and function each node wrote. */
    public Map<String, Long> perNode(String kind, String function) {
        Map<String, Long> perNode = new LinkedHashMap<>();
        for (Entry entry : this.entries) {
            if (entry.kind().equals(kind) && entry.function().equals(function)) {
                perNode.merge(entry.node(), 1L, Long::sum);
            }
        }
        return new TreeMap<>(perNode);
    }

    /** One line of the log. */
    public record Entry(String kind, String function, int key, String node, long pid) {

        static Entry parse(String line) {
            String[] parts = line.split(" ");
            if (parts.length != 5) {
                throw new IllegalStateException("Torn or unexpected line in the effects log: '" + line + "'");
            }
            return new Entry(parts[0], parts[1], Integer.parseInt(parts[2]), parts[3], Long.parseLong(parts[4]));
        }
    }

    /**
     * Appends lines for one node. A {@link FileOutputStream} rather than a {@code FileChannel}: a channel is closed
     * for every thread when one writer is interrupted (an attempt's timeout, a forced shutdown), a stream is not.
     */
    public static final class Writer implements AutoCloseable {

        private final FileOutputStream out;

        private final String node;

        private final long pid = ProcessHandle.current().pid();

        public Writer(Path file, String node) throws IOException {
            this.out = new FileOutputStream(file.toFile(), true); // O_APPEND
            this.node = node;
        }

        public void start(String function, int key) {
            write(START, function, key);
        }

        public void done(String function, int key) {
            write(DONE, function, key);
        }

        private void write(String kind, String function, int key) {
            line(kind + " " + function + " " + key + " " + this.node + " " + this.pid);
        }

        /** Appends one line of a format of the caller's own (the newline is added), as durably as the others. */
        public void line(String text) {
            byte[] line = (text + "\n").getBytes(StandardCharsets.UTF_8);
            try {
                // one write(2) for the whole line, then to disk before the call goes on
                this.out.write(line);
                this.out.getFD().sync();
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        @Override
        public void close() throws IOException {
            this.out.close();
        }
    }
}
