package com.example.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The log {@link Effects} appends to, as the test reads it: which call started or finished, in which process. */
record EffectLog(List<Entry> entries) {

    static EffectLog read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new EffectLog(List.of());
        }
        return new EffectLog(Files.readAllLines(file).stream()
                .filter(line -> !line.isBlank())
                .map(Entry::parse)
                .toList());
    }

    long count(String kind, int key) {
        return this.entries.stream()
                .filter(e -> e.kind().equals(kind) && e.key() == key)
                .count();
    }

    long count(String kind, int key, long pid) {
        return this.entries.stream()
                .filter(e -> e.kind().equals(kind) && e.key() == key && e.pid() == pid)
                .count();
    }

    /** One line: {@code START <key> <pid>} or {@code DONE <key> <pid>}. */
    record Entry(String kind, int key, long pid) {

        static Entry parse(String line) {
            String[] parts = line.split(" ");
            if (parts.length != 3) {
                throw new IllegalStateException("Torn or unexpected line in the effects log: '" + line + "'");
            }
            return new Entry(parts[0], Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
        }
    }
}
