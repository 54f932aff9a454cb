package com.example.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The effects log the workflow's calls append to ({@code com.example.faults.workflow.Steps}), as the tests read it:
 * lines {@code <kind> <function:argument> <pid> <attempt> <epoch millis>}, in the order they were written.
 */
record Effects(List<Entry> entries) {

    static Effects read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new Effects(List.of());
        }
        return new Effects(Files.readAllLines(file).stream()
                .filter(line -> !line.isBlank())
                .map(Entry::parse)
                .toList());
    }

    /** The runs of a call: its {@code START} and {@code FAIL} lines (a planned {@code FAIL-ONCE} is no run). */
    List<Entry> runs(String call) {
        return this.entries.stream()
                .filter(e -> e.call().equals(call) && e.isRun())
                .toList();
    }

    long count(String kind, String call) {
        return this.entries.stream()
                .filter(e -> e.kind().equals(kind) && e.call().equals(call))
                .count();
    }

    /** Lines of this kind, across calls. */
    long count(String kind) {
        return this.entries.stream().filter(e -> e.kind().equals(kind)).count();
    }

    /** One line of the log. */
    record Entry(String kind, String call, long pid, int attempt, long millis) {

        static Entry parse(String line) {
            String[] parts = line.split(" ");
            if (parts.length != 5) {
                throw new IllegalStateException("Torn or unexpected line in the effects log: '" + line + "'");
            }
            return new Entry(
                    parts[0], parts[1], Long.parseLong(parts[2]), Integer.parseInt(parts[3]), Long.parseLong(parts[4]));
        }

        boolean isRun() {
            return this.kind.equals("START") || this.kind.equals("FAIL");
        }

        @Override
        public String toString() {
            return this.kind + " " + this.call + " (pid " + this.pid + ", attempt " + this.attempt + ")";
        }
    }
}
