package com.example.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.testjvm.Nodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link CrashApplication} as a separate JVM on an H2 file database, kills it with SIGKILL in the middle of a
 * fan-out, restarts it on the same file and checks from the database and the effects log that the fan-out completed,
 * that nothing finished ran again and that only the calls in flight at the kill ran twice.
 */
class CrashRecoveryTests {

    private static final int CALLS = 300;

    private static final int WORKERS = 8;

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Nodes nodes;

    /** A failure carries what the nodes printed: most failures are explained there, and the temp dir is gone after. */
    @RegisterExtension
    final TestExecutionExceptionHandler withNodeOutput = (context, failure) -> {
        throw new AssertionError(failure.getMessage() + this.nodes.output(), failure);
    };

    @BeforeEach
    void nodes() {
        this.nodes = new Nodes(this.dir);
    }

    @AfterEach
    void killNodes() throws InterruptedException {
        this.nodes.destroyAll();
    }

    @Test
    void aKilledNodeResumesTheFanOutOnRestartWithoutRepeatingFinishedCalls() throws Exception {
        Process first = startNode("first");
        awaitDoneLines(first, CALLS / 3);
        assertThat(Nodes.kill(first)).as("the node was killed mid-run").isTrue();
        Set<Integer> succeededAtKill = readRecords().succeeded();
        assertThat(succeededAtKill)
                .as("the kill landed in the middle of the fan-out")
                .isNotEmpty()
                .hasSizeLessThan(CALLS);

        Process second = startNode("second");
        assertThat(second.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .as("the restarted node finished the fan-out within %s", TIMEOUT)
                .isTrue();
        assertThat(second.exitValue()).as("exit code of the restarted node").isZero();

        EffectLog effects = EffectLog.read(effects());
        Records atEnd = readRecords();
        assertThat(atEnd.calls())
                .as("one row per call: the restart did not fan out again")
                .hasSize(CALLS);
        assertThat(atEnd.succeeded()).as("calls SUCCEEDED at the end").hasSize(CALLS);
        assertThat(atEnd.roots()).as("the root, recorded once").containsExactly("SUCCEEDED");
        for (int key = 0; key < CALLS; key++) {
            assertThat(effects.count("DONE", key))
                    .as("DONE lines of call %d", key)
                    .isPositive();
            assertThat(effects.count("START", key, first.pid()))
                    .as("START lines of call %d in the first run", key)
                    .isLessThanOrEqualTo(1);
            assertThat(effects.count("START", key, second.pid()))
                    .as("START lines of call %d in the second run", key)
                    .isLessThanOrEqualTo(1);
        }
        for (int key : succeededAtKill) {
            assertThat(effects.count("START", key, second.pid()))
                    .as("call %d had SUCCEEDED before the kill, yet started again after the restart", key)
                    .isZero();
        }
        Set<Integer> ranTwice = IntStream.range(0, CALLS)
                .filter(key -> effects.count("START", key) > 1 || effects.count("DONE", key) > 1)
                .boxed()
                .collect(Collectors.toSet());
        assertThat(ranTwice)
                .as("calls that ran twice must have been in flight at the kill")
                .doesNotContainAnyElementsOf(succeededAtKill)
                .allSatisfy(key -> assertThat(effects.count("START", key, first.pid()))
                        .as("call %d ran twice without having started before the kill", key)
                        .isOne());
        // A call holds its worker from START until its SUCCEEDED commits, so at most one call per worker can have
        // started without being recorded when the node dies.
        assertThat(ranTwice).as("calls that ran twice").hasSizeLessThanOrEqualTo(WORKERS);
    }

    private Process startNode(String name) throws IOException {
        return this.nodes.start(
                name,
                CrashApplication.class,
                List.of(
                        "--spring.datasource.url=" + databaseUrl(),
                        "--spring.datasource.username=sa",
                        "--spring.datasource.password=",
                        "--spring.main.web-application-type=none",
                        "--spring.main.banner-mode=off",
                        "--spring.jpa.hibernate.ddl-auto=validate",
                        // a file database is not "embedded" to Spring's initializer: create the tables explicitly
                        "--dispatch.jdbc.initialize-schema=always",
                        "--dispatch.workers=" + WORKERS,
                        // Short leases and polls: the restarted node takes the dead node's calls over within seconds.
                        // Not shorter: a busy machine stalling the heartbeat (a third of a lease) must not expire them.
                        "--dispatch.lease-duration=3s",
                        "--dispatch.poll-interval=100ms",
                        "--crash.calls=" + CALLS,
                        "--crash.effects=" + effects()));
    }

    /**
     * WRITE_DELAY=0 makes H2 write each commit to the file at once: by default it delays writing commits by up to
     * 500 ms, so a SIGKILL would lose steps the engine saw committed, and the test would blame the engine.
     */
    private String databaseUrl() {
        return "jdbc:h2:file:" + this.dir.resolve("dispatch").toAbsolutePath() + ";WRITE_DELAY=0";
    }

    private Path effects() {
        return this.dir.resolve("effects.log");
    }

    private void awaitDoneLines(Process node, int lines) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (doneLines() < lines) {
            assertThat(node.isAlive())
                    .as("the node is still running the fan-out")
                    .isTrue();
            assertThat(System.nanoTime() - deadline)
                    .as("%d calls done within %s", lines, TIMEOUT)
                    .isNegative();
            Thread.sleep(10);
        }
    }

    /** Counts finished calls while the node writes: a line being written may be cut short, so only the prefix counts. */
    private long doneLines() throws IOException {
        if (!Files.exists(effects())) {
            return 0;
        }
        try (var lines = Files.lines(effects())) {
            return lines.filter(line -> line.startsWith("DONE ")).count();
        }
    }

    /**
     * The status of each fanned-out call by key, and of the root, read with plain JDBC while no node runs: the
     * connection is closed before a node starts, as H2 lets one process at a time open the file.
     */
    private Records readRecords() throws SQLException {
        Map<Integer, String> calls = new HashMap<>();
        List<String> roots = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(databaseUrl(), "sa", "");
                Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery(
                    "SELECT arguments, status FROM dispatch_invocation WHERE function_name = '" + Effects.NAME + "'")) {
                while (rows.next()) {
                    String arguments = rows.getString(1); // a JSON array of the one key, e.g. [42]
                    int key = Integer.parseInt(arguments.substring(1, arguments.length() - 1));
                    assertThat(calls.put(key, rows.getString(2)))
                            .as("call %d recorded more than once: the fan-out was dispatched again", key)
                            .isNull();
                }
            }
            try (ResultSet rows = statement.executeQuery(
                    "SELECT status FROM dispatch_invocation WHERE function_name = '" + FanOut.NAME + "'")) {
                while (rows.next()) {
                    roots.add(rows.getString(1));
                }
            }
        }
        return new Records(calls, roots);
    }

    /** What the database says about the fan-out. */
    private record Records(Map<Integer, String> calls, List<String> roots) {

        Set<Integer> succeeded() {
            return this.calls.entrySet().stream()
                    .filter(entry -> entry.getValue().equals("SUCCEEDED"))
                    .map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
        }
    }
}
