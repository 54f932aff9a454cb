package com.example.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Application nodes as JVMs of their own, started from the test JVM's {@code java} and class path: each can be killed
 * for real ({@link Process#destroyForcibly()} is SIGKILL on Linux, {@link Process#destroy()} SIGTERM). A node's
 * standard output and error go to files in a directory the test owns; {@link #output()} gathers their ends for an
 * assertion message. {@link #close()} kills whatever still runs.
 */
public final class JvmNodes implements AutoCloseable {

    private static final int OUTPUT_LINES = 120;

    private final Path dir;

    private final Class<?> mainClass;

    private final Launch launch;

    private final List<Node> started = new ArrayList<>();

    public JvmNodes(Path dir, Class<?> mainClass) {
        this(dir, mainClass, Launch.plain());
    }

    public JvmNodes(Path dir, Class<?> mainClass, Launch launch) {
        this.dir = dir;
        this.mainClass = mainClass;
        this.launch = launch;
    }

    /**
     * Starts a node. Its output files are named after {@code name}, with a number added when a node of that name was
     * started before (a restart).
     */
    public synchronized Node start(String name, List<String> args) throws IOException {
        long earlier = this.started.stream().filter(n -> n.name().equals(name)).count();
        String label = (earlier == 0) ? name : name + "." + (earlier + 1);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", // a short-lived JVM: start fast rather than peak
                "-XX:+UseSerialGC",
                "-Xmx256m"));
        command.addAll(this.launch.options());
        command.addAll(List.of("-cp", this.launch.classPath(), this.mainClass.getName()));
        command.addAll(args);
        Path out = this.dir.resolve(label + ".out");
        Path err = this.dir.resolve(label + ".err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        Node node = new Node(name, label, process, out, err);
        this.started.add(node);
        return node;
    }

    /** Every node started, in order, dead or alive. */
    public synchronized List<Node> started() {
        return List.copyOf(this.started);
    }

    /** The last lines each node wrote to standard output and error, for an assertion message. */
    public synchronized String output() {
        StringBuilder output = new StringBuilder();
        for (Node node : this.started) {
            for (Path file : List.of(node.out(), node.err())) {
                output.append("\n\n===== ").append(file.getFileName());
                output.append(" (pid ").append(node.pid()).append(") =====\n");
                output.append(tail(file));
            }
        }
        return output.toString();
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "(none)";
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            int from = Math.max(0, lines.size() - OUTPUT_LINES);
            return (from > 0 ? "[" + from + " lines before]\n" : "")
                    + String.join("\n", lines.subList(from, lines.size()));
        } catch (IOException ex) {
            return "unreadable: " + ex;
        }
    }

    /** Kills every node still running and waits for it to be gone. */
    @Override
    public synchronized void close() {
        for (Node node : this.started) {
            node.process().destroyForcibly();
        }
        for (Node node : this.started) {
            try {
                node.process().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The class path and JVM options nodes start with: the test JVM's class path, or the same classes with a
     * class-data-sharing archive (which takes jars only: each directory of the class path becomes a jar).
     */
    public record Launch(String classPath, List<String> options, Path archive) {

        /** The test JVM's class path, no archive. */
        public static Launch plain() {
            return new Launch(System.getProperty("java.class.path"), List.of(), null);
        }

        /**
         * The test JVM's classes with an archive in {@code dir}, written by a node started with {@link #training()}
         * when it exits normally.
         */
        public static Launch sharedArchive(Path dir) throws IOException {
            List<String> entries = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path path = Path.of(entry);
                if (Files.isDirectory(path)) {
                    Path jar = dir.resolve(entries.size() + ".jar");
                    jar(path, jar);
                    entries.add(jar.toString());
                } else {
                    entries.add(entry);
                }
            }
            Path archive = dir.resolve("nodes.jsa");
            return new Launch(
                    String.join(File.pathSeparator, entries), List.of("-XX:SharedArchiveFile=" + archive), archive);
        }

        /** How the node that writes the archive starts. */
        public Launch training() {
            return new Launch(this.classPath, List.of("-XX:ArchiveClassesAtExit=" + this.archive), this.archive);
        }

        /** Whether the archive was written. */
        public boolean ready() {
            return this.archive != null && Files.exists(this.archive);
        }

        /** Jars the directory, with an entry for each folder too: class path scanning looks for them. */
        private static void jar(Path directory, Path jar) throws IOException {
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                    var paths = Files.walk(directory)) {
                for (Path path : (Iterable<Path>) paths.filter(p -> !p.equals(directory))::iterator) {
                    String name = directory.relativize(path).toString().replace(File.separatorChar, '/');
                    boolean folder = Files.isDirectory(path);
                    out.putNextEntry(new JarEntry(folder ? name + "/" : name));
                    if (!folder) {
                        Files.copy(path, out);
                    }
                    out.closeEntry();
                }
            }
        }
    }

    /** One node: its name (e.g. its {@code dispatch.node-id}), the label of its output files, its process. */
    public record Node(String name, String label, Process process, Path out, Path err) {

        public long pid() {
            return this.process.pid();
        }

        /** Waits until the node printed a line that contains {@code text}; fails if it exits first or times out. */
        public void awaitOutput(String text, Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!contains(text)) {
                if (!this.process.isAlive() && !contains(text)) {
                    throw new AssertionError(this.label + " exited with " + this.process.exitValue()
                            + " before printing '" + text + "'");
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError(this.label + " did not print '" + text + "' within " + timeout);
                }
                // polls a condition until its deadline: the outcome comes from another thread or process
                Thread.sleep(50);
            }
        }

        /** The first line the node printed that starts with {@code prefix}, or null. */
        public String printedLine(String prefix) throws IOException {
            if (!Files.exists(this.out)) {
                return null;
            }
            try (var lines = Files.lines(this.out, StandardCharsets.UTF_8)) {
                return lines.filter(line -> line.startsWith(prefix)).findFirst().orElse(null);
            } catch (UncheckedIOException ex) {
                return null; // a line cut in the middle of a multi-byte character: look again later
            }
        }

        /**
         * Kills the node with SIGKILL (on Linux: no shutdown hook, no graceful stop, leases left held) and waits
         * until it is gone.
         *
         * @return whether the kill ended it (128 + SIGKILL), rather than it having exited on its own
         */
        public boolean kill() throws InterruptedException {
            boolean alive = this.process.isAlive();
            this.process.destroyForcibly();
            if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Process " + pid() + " survived SIGKILL for 30 s");
            }
            return alive && this.process.exitValue() == 137;
        }

        /** Stops the node's process where it is (SIGSTOP): no thread of it runs until {@link #thaw()}. */
        public void freeze() throws IOException, InterruptedException {
            signal("STOP");
        }

        /** Lets a frozen node run on (SIGCONT). */
        public void thaw() throws IOException, InterruptedException {
            signal("CONT");
        }

        private void signal(String name) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid()))
                    .inheritIO()
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("Could not send SIG" + name + " to " + this.label);
            }
        }

        /**
         * Asks the node's JVM for a thread dump (SIGQUIT: the JVM prints every thread's stack on standard output and
         * goes on), for a failure message about a node that stopped making progress.
         */
        public void threadDump() throws IOException, InterruptedException {
            if (this.process.isAlive()) {
                new ProcessBuilder("kill", "-QUIT", Long.toString(pid()))
                        .inheritIO()
                        .start()
                        .waitFor(10, TimeUnit.SECONDS);
                // the JVM writes the dump from a thread of its own: give it a moment before the output is read
                Thread.sleep(1000);
            }
        }

        private boolean contains(String text) throws IOException {
            if (!Files.exists(this.out)) {
                return false;
            }
            try (var lines = Files.lines(this.out, StandardCharsets.UTF_8)) {
                return lines.anyMatch(line -> line.contains(text));
            } catch (UncheckedIOException ex) {
                return false; // a line cut in the middle of a multi-byte character: look again later
            }
        }
    }
}
