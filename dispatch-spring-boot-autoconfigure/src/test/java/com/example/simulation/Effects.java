package com.example.simulation;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The effects of one scenario, in a file of its own that outlives the process that wrote it: a line when a body
 * starts and when it ends, when a fault is injected and when the operator acts. Each line is one {@code write(2)} on a
 * file opened with {@code O_APPEND}, so lines of several JVMs never interleave and their order is the order of the
 * writes; a process killed right after a write leaves its line in the page cache, hence in the file.
 *
 * <pre>
 * START &lt;node&gt; &lt;invocation&gt; &lt;attempt&gt; &lt;status seen&gt; &lt;attempts seen&gt; &lt;jvm&gt;
 * END   &lt;node&gt; &lt;invocation&gt; &lt;attempt&gt; OK|FAIL &lt;what it saw or threw&gt; &lt;status seen&gt; &lt;attempts seen&gt;
 * FAULT &lt;kind&gt;
 * OP    retry|cancel &lt;node&gt; &lt;invocation&gt;
 * </pre>
 */
final class Effects {

    static final String START = "START";

    /** A worker is about to start an attempt: {@code STARTING <id> <attempt>}, in its node's file. */
    static final String STARTING = "STARTING";

    static final String END = "END";

    static final String FAULT = "FAULT";

    static final String OP = "OP";

    private Effects() {}

    static Path file(Path dir, long seed) {
        return dir.resolve("sim-" + Long.toHexString(seed) + ".log");
    }

    /** Where a node logs the attempts its workers are about to start ({@link SimulationApplication}). */
    static Path startingFile(Path dir, String node) {
        return dir.resolve("starting-" + node + ".log");
    }

    /**
     * The attempts the nodes' workers were about to start ({@code <id>:<attempt>}), from every node's file in
     * {@code dir}.
     */
    static Set<String> starting(Path dir) {
        Set<String> ids = new HashSet<>();
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>)
                    files.filter(f -> f.getFileName().toString().startsWith("starting-"))::iterator) {
                for (Line line : read(file)) {
                    ids.add(line.field(1) + ":" + line.field(2));
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return ids;
    }

    static void append(Path file, String... fields) {
        byte[] line = (String.join(" ", fields) + "\n").getBytes(StandardCharsets.UTF_8);
        // a stream, not a channel: a channel fails for a thread that is interrupted (an attempt past its timeout)
        try (FileOutputStream out = new FileOutputStream(file.toFile(), true)) { // O_APPEND
            out.write(line);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The complete lines of the file, in order; a line being written (no newline yet) is left out. */
    static List<Line> read(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<Line> lines = new ArrayList<>();
            int start = 0;
            for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
                String line = text.substring(start, end);
                if (!line.isBlank()) {
                    lines.add(new Line(List.of(line.split(" "))));
                }
                start = end + 1;
            }
            return lines;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** One line: its kind, then its fields. */
    record Line(List<String> fields) {

        String kind() {
            return this.fields.get(0);
        }

        String field(int i) {
            return this.fields.get(i);
        }

        /** The invocation of a START, END or OP line. */
        String invocation() {
            return kind().equals(OP) ? field(3) : field(2);
        }

        int node() {
            return Integer.parseInt(kind().equals(OP) ? field(2) : field(1));
        }

        int attempt() {
            return Integer.parseInt(field(3));
        }

        boolean is(String kind) {
            return kind().equals(kind);
        }

        @Override
        public String toString() {
            return String.join(" ", this.fields);
        }
    }
}
