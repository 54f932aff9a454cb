package com.example.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL cluster of the test's own, on a free port, with its data directory under the build folder: a test may
 * stop it and start it again without touching the machine's shared server. Made with the distribution's binaries
 * ({@code /usr/lib/postgresql/<version>/bin}); a test is skipped, with the reason, where they are missing. As root, the
 * binaries run as the {@code postgres} user (initdb refuses root), as {@code .ci/postgres.sh} does.
 */
final class ThrowawayPostgres implements AutoCloseable {

    private static final Path DISTRIBUTION = Path.of("/usr/lib/postgresql");

    private final Path bin;

    private final Path data;

    private final int port;

    private final boolean asPostgresUser;

    private ThrowawayPostgres(Path bin, Path data, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.data = data;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Creates and starts a cluster, or skips the test when PostgreSQL's binaries are not installed. */
    static ThrowawayPostgres start() throws IOException, InterruptedException {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && !userExists("postgres")) {
            Assumptions.abort("Running as root without a postgres user to run PostgreSQL's binaries as");
        }
        Path data = Path.of(
                        "target",
                        "faults-postgres-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        Files.createDirectories(data);
        ThrowawayPostgres postgres = new ThrowawayPostgres(bin, data, freePort(), root);
        if (root) {
            command(List.of("chown", "postgres", data.toString()), "chown");
        }
        postgres.run(
                "'" + bin.resolve("initdb") + "' -D '" + data + "' -U postgres -A trust -E UTF8 --no-sync", "initdb");
        postgres.startServer();
        return postgres;
    }

    /** Where to connect as user {@code postgres} (trust authentication). */
    String url() {
        return "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres";
    }

    /** Stops the server at once, as a crash would: no checkpoint, connections cut ({@code pg_ctl -m immediate}). */
    void stopImmediately() throws IOException, InterruptedException {
        run("'" + this.bin.resolve("pg_ctl") + "' -D '" + this.data + "' -m immediate -w stop", "pg_ctl stop");
    }

    /** Starts the server (again), waiting until it accepts connections. */
    void startServer() throws IOException, InterruptedException {
        run(
                "'" + this.bin.resolve("pg_ctl") + "' -D '" + this.data + "' -l '" + this.data.resolve("server.log")
                        + "' -w -t 60 -o \"-p " + this.port
                        + " -c listen_addresses=127.0.0.1 -k /tmp -c fsync=on -c synchronous_commit=on\" start",
                "pg_ctl start");
    }

    /** Stops the server if it runs and deletes its data. */
    @Override
    public void close() {
        try {
            run("'" + this.bin.resolve("pg_ctl") + "' -D '" + this.data + "' -m immediate -w stop", "pg_ctl stop");
        } catch (IOException | InterruptedException | IllegalStateException ex) {
            // it was not running
        }
        try (Stream<Path> files = Files.walk(this.data)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ex) {
            // left under target/: removed by the next clean
        }
    }

    private void run(String shell, String what) throws IOException, InterruptedException {
        command(
                this.asPostgresUser
                        ? List.of("su", "postgres", "-s", "/bin/bash", "-c", shell)
                        : List.of("bash", "-c", shell),
                what);
    }

    private static String command(List<String> command, String what) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(what + " did not finish within 90 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(what + " failed with exit code " + process.exitValue() + ": " + output);
        }
        return output;
    }

    private static Path binaries() throws IOException {
        if (Files.isDirectory(DISTRIBUTION)) {
            try (Stream<Path> versions = Files.list(DISTRIBUTION)) {
                List<Path> found = versions.map(version -> version.resolve("bin"))
                        .filter(bin ->
                                Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
                        .sorted(Comparator.comparing(
                                bin -> bin.getParent().getFileName().toString(),
                                Comparator.comparingInt(ThrowawayPostgres::versionNumber)))
                        .toList();
                if (!found.isEmpty()) {
                    return found.get(found.size() - 1);
                }
            }
        }
        Assumptions.abort("No PostgreSQL binaries (initdb, pg_ctl) under " + DISTRIBUTION
                + "/<version>/bin: install the distribution's postgresql package to run the database outage test");
        throw new AssertionError("unreachable");
    }

    private static int versionNumber(String version) {
        try {
            return Integer.parseInt(version.replaceAll("[^0-9].*", ""));
        } catch (NumberFormatException ex) {
            return 0;
        }
    }

    private static boolean userExists(String user) throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", user).redirectErrorStream(true).start();
        return id.waitFor(10, TimeUnit.SECONDS) && id.exitValue() == 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
