package com.example.testjvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Application nodes a fault test runs in JVMs of their own: started on the test's class path with standard output and
 * error in files of a folder the test owns, killed with SIGKILL on demand, and all destroyed when the test ends. What
 * they printed goes into the test's failure message, as the folder is gone after the test.
 */
public final class Nodes {

    private final Path dir;

    private final List<String> names = new ArrayList<>();

    private final List<Process> processes = new ArrayList<>();

    public Nodes(Path dir) {
        this.dir = dir;
    }

    /**
     * Starts {@code main} as node {@code name} with the given program arguments, in a small JVM that starts fast
     * rather than peaks (a node lives for seconds).
     */
    public Process start(String name, Class<?> main, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(args);
        Process process = new ProcessBuilder(command)
                .redirectOutput(out(name).toFile())
                .redirectError(this.dir.resolve(name + ".err").toFile())
                .start();
        this.names.add(name);
        this.processes.add(process);
        return process;
    }

    /** The file that holds what node {@code name} printed on standard output. */
    public Path out(String name) {
        return this.dir.resolve(name + ".out");
    }

    /**
     * Kills the node with SIGKILL (on Linux: no shutdown hook, no graceful stop, leases left held) and waits until it
     * is gone.
     *
     * @return whether the kill ended it (128 + SIGKILL), rather than it having exited on its own
     */
    public static boolean kill(Process process) throws InterruptedException {
        boolean alive = process.isAlive();
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Process " + process.pid() + " survived SIGKILL for 30 s");
        }
        return alive && process.exitValue() == 137;
    }

    /** Whether the node printed a line that starts with {@code prefix}; a line being written may be cut short. */
    public boolean printed(String name, String prefix) throws IOException {
        return printedLine(name, prefix) != null;
    }

    /** The first line node {@code name} printed that starts with {@code prefix}, or null. */
    public String printedLine(String name, String prefix) throws IOException {
        Path file = out(name);
        if (!Files.exists(file)) {
            return null;
        }
        try (var lines = Files.lines(file)) {
            return lines.filter(line -> line.startsWith(prefix)).findFirst().orElse(null);
        }
    }

    /** Kills every node still running; for {@code @AfterEach}. */
    public void destroyAll() throws InterruptedException {
        for (Process process : this.processes) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** What every node printed, for a failure message. */
    public String output() {
        StringBuilder output = new StringBuilder();
        for (String name : this.names) {
            for (String file : List.of(name + ".out", name + ".err")) {
                Path path = this.dir.resolve(file);
                try {
                    if (Files.exists(path)) {
                        output.append("\n\n===== ")
                                .append(file)
                                .append(" =====\n")
                                .append(Files.readString(path));
                    }
                } catch (IOException ex) {
                    output.append("\n\n===== ")
                            .append(file)
                            .append(": unreadable: ")
                            .append(ex);
                }
            }
        }
        return output.toString();
    }
}
