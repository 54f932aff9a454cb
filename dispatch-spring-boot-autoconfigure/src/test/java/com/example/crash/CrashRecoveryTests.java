package com.example.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.support.EffectLog;
import com.example.support.JvmNodes;
import java.io.IOException;
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

    private JvmNodes nodes;

    /** A failure carries what the nodes printed: most failures are explained there, and the temp dir is gone after. */
    @RegisterExtension
    final TestExecutionExceptionHandler withNodeOutput = (context, failure) -> {
        throw new AssertionError(failure.getMessage() + this.nodes.output(), failure);
    };

    @BeforeEach
    void nodes() {
        this.nodes = new JvmNodes(this.dir, CrashApplication.class);
    }

    @AfterEach
    void killNodes() {
        this.nodes.close();
    }

    @Test
    void aKilledNodeResumesTheFanOutOnRestartWithoutRepeatingFinishedCalls() throws Exception {
        Process first = startNode("first");
        awaitDoneLines(first, CALLS / 3);
        first.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no graceful stop, leases left held
        assertThat(first.waitFor(10, TimeUnit.SECONDS))
                .as("the killed node exited")
                .isTrue();
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
            assertThat(effects.count(EffectLog.DONE, Effects.NAME, key))
                    .as("DONE lines of call %d", key)
                    .isPositive();
            assertThat(effects.count(EffectLog.START, Effects.NAME, key, first.pid()))
                    .as("START lines of call %d in the first run", key)
                    .isLessThanOrEqualTo(1);
            assertThat(effects.count(EffectLog.START, Effects.NAME, key, second.pid()))
                    .as("START lines of call %d in the second run", key)
                    .isLessThanOrEqualTo(1);
        }
        for (int key : succeededAtKill) {
            assertThat(effects.count(EffectLog.START, Effects.NAME, key, second.pid()))
                    .as("call %d had SUCCEEDED before the kill, yet started again after the restart", key)
                    .isZero();
        }
        Set<Integer> ranTwice = IntStream.range(0, CALLS)
                .filter(key -> effects.count(EffectLog.START, Effects.NAME, key) > 1
                        || effects.count(EffectLog.DONE, Effects.NAME, key) > 1)
                .boxed()
                .collect(Collectors.toSet());
        assertThat(ranTwice)
                .as("calls that ran twice must have been in flight at the kill")
                .doesNotContainAnyElementsOf(succeededAtKill)
                .allSatisfy(key -> assertThat(effects.count(EffectLog.START, Effects.NAME, key, first.pid()))
                        .as("call %d ran twice without having started before the kill", key)
                        .isOne());
        // Only attempts that ran and were not recorded yet can run again: at most workers + claim-ahead (twice the
        // workers by default) places for them.
        assertThat(ranTwice).as("calls that ran twice").hasSizeLessThanOrEqualTo(3 * WORKERS);
    }

    private Process startNode(String name) throws IOException {
        return this.nodes
                .start(
                        name,
                        List.of(
                                "--spring.datasource.url=" + databaseUrl(),
                                "--spring.datasource.username=sa",
                                "--spring.datasource.password=",
                                "--spring.main.web-application-type=none",
                                "--spring.main.banner-mode=off",
                                "--spring.jpa.hibernate.ddl-auto=validate",
                                // a file database is not "embedded" to Spring's initializer: create the tables
                                "--dispatch.jdbc.initialize-schema=always",
                                "--dispatch.workers=" + WORKERS,
                                // Short leases and polls: the restarted node takes the dead node's calls over within
                                // seconds. Not shorter: a busy machine stalling the heartbeat (a third of a lease)
                                // must not expire them early.
                                "--dispatch.lease-duration=3s",
                                "--dispatch.poll-interval=100ms",
                                "--crash.calls=" + CALLS,
                                "--crash.effects=" + effects()))
                .process();
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

    private void awaitDoneLines(Process node, int lines) {
        await(lines + " calls done")
                .atMost(TIMEOUT)
                .pollInterval(java.time.Duration.ofMillis(10))
                .failFast("the node stopped running the fan-out", () -> !node.isAlive())
                .until(() -> doneLines() >= lines);
    }

    /** Counts finished calls while the node writes. */
    private long doneLines() throws IOException {
        return EffectLog.read(effects()).count(EffectLog.DONE);
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
