package dev.dispatch.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A free port and a fresh data directory for each test application, and waiting for a condition. */
final class TestEnvironment {

    private TestEnvironment() {}

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static Path newDataDir() {
        try {
            Path parent = Files.createDirectories(Path.of("target", "test-data"));
            return Files.createTempDirectory(parent, "run-");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        org.awaitility.Awaitility.await(what)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(50))
                .until(condition::getAsBoolean);
    }
}
