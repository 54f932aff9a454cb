package com.example.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.faults.workflow.FaultsApplication;
import com.example.faults.workflow.Workflow;
import com.example.support.JvmNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;

/**
 * Database outage: runs the workflow in a JVM of its own on a PostgreSQL cluster of the test's own, stops the server
 * ({@code pg_ctl stop -m immediate}) in the middle of the run, keeps it down, starts it again, and checks that the
 * node stayed up and said why it stalled, then finished the workflow with the invariants of {@link Audit}: nothing
 * lost, and repeats only of calls in flight at the outage.
 *
 * <p>The outage lasts {@code -Ddispatch.faults.outage-seconds}, 30 s by default (the whole test takes under a minute).
 * Skipped, with the reason, where PostgreSQL's binaries are not installed. The figures are printed on standard output.
 */
class DatabaseOutageTests {

    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("dispatch.faults.outage-seconds", 30));

    private static final int SIZE = 40;

    /** Calls of 10 to 50 ms: the workflow lasts long enough to be cut in the middle, with calls in flight. */
    private static final int WORK_MILLIS = 10;

    private static final String CLAIM_WARNING = "could not claim work (is the database reachable?)";

    private static final String HOUSEKEEPING_WARNING = "housekeeping could not reach the database";

    private static final String HEARTBEAT_WARNING = "Could not renew leases";

    @TempDir
    Path dir;

    private JvmNodes nodes;

    private ThrowawayPostgres postgres;

    /** A failure carries what the node printed: the temp dir is gone after the test. */
    @RegisterExtension
    final TestExecutionExceptionHandler withNodeOutput = (context, failure) -> {
        throw new AssertionError(failure.getMessage() + this.nodes.output(), failure);
    };

    @BeforeEach
    void nodes() {
        this.nodes = new JvmNodes(this.dir, FaultsApplication.class);
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        this.nodes.close();
        if (this.postgres != null) {
            this.postgres.close();
        }
    }

    @Test
    void theNodeRidesOutAPostgresOutageAndLosesNothing() throws Exception {
        this.postgres = ThrowawayPostgres.start();
        Path effects = this.dir.resolve("effects.log");
        JvmNodes.Node node = WorkflowNode.start(
                this.nodes,
                "node",
                this.postgres.url(),
                "postgres",
                SIZE,
                WORK_MILLIS,
                effects,
                // fail fast rather than wait Hikari's default 30 s for a connection while the server is down
                "--spring.datasource.hikari.connection-timeout=2000",
                "--spring.datasource.hikari.validation-timeout=1000");
        WorkflowNode.awaitReady(node, 90);
        int calls = Workflow.calls(SIZE).size();
        awaitRuns(node, effects, calls / 3);

        long down = System.currentTimeMillis();
        this.postgres.stopImmediately();
        long deadline = System.nanoTime() + OUTAGE.toNanos();
        while (System.nanoTime() - deadline < 0) {
            assertThat(node.process().isAlive())
                    .as("the node stays up while the database is down")
                    .isTrue();
            // the outage lasts this long in real time: the node's own timers must see the database gone
            Thread.sleep(200);
        }
        String during = Files.readString(node.out());
        long up = System.currentTimeMillis();
        this.postgres.startServer();

        long finished = WorkflowNode.awaitFinished(node, 180, null, null);
        long claimWarnings = count(during, CLAIM_WARNING);
        long housekeepingWarnings = count(during, HOUSEKEEPING_WARNING);
        long heartbeatWarnings = count(during, HEARTBEAT_WARNING);
        Effects log = Effects.read(effects);
        Audit.Fault outage = new Audit.Fault(
                "the outage",
                // in flight at the outage: started shortly before it, or claimed just before it and started after
                run -> run.millis() > down - 5_000 && run.millis() < up,
                Set.of(),
                Set.of());
        Audit audit = Audit.check(
                SIZE, log, Rows.read(this.postgres.url(), "postgres", ""), List.of(outage), WorkflowNode.WORKERS);
        String figures = "Database outage: PostgreSQL down " + (up - down) + " ms in the middle of a run of "
                + audit.calls + " calls ("
                + log.entries().stream()
                        .filter(e -> e.isRun() && e.millis() < down)
                        .count()
                + " runs before it); the node stayed up and logged " + claimWarnings + " claim, "
                + housekeepingWarnings + " housekeeping and " + heartbeatWarnings + " heartbeat warnings; the workflow"
                + " finished " + finished + " ms after READY; " + audit.lost + " lost, " + audit.repeatedInFlight
                + " repeated in flight, " + audit.repeatedBeyondInFlight + " repeated beyond in-flight";
        System.out.println(figures);
        assertThat(audit.violations).as(figures).isEmpty();
        assertThat(claimWarnings)
                .as("the scheduler says why it stalls: '%s'", CLAIM_WARNING)
                .isPositive();
        assertThat(housekeepingWarnings)
                .as("housekeeping says why it stalls: '%s'", HOUSEKEEPING_WARNING)
                .isPositive();
    }

    /** Waits until the workflow's calls ran {@code runs} times: the middle of the run. */
    private static void awaitRuns(JvmNodes.Node node, Path effects, int runs) {
        await(runs + " runs")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10))
                .failFast(
                        "the node stopped running the workflow",
                        () -> !node.process().isAlive())
                .until(() -> countRuns(effects) >= runs);
    }

    /** Counts runs while the node writes: a line being written may be cut short, so only the prefix counts. */
    private static long countRuns(Path effects) throws IOException {
        if (!Files.exists(effects)) {
            return 0;
        }
        try (var lines = Files.lines(effects)) {
            return lines.filter(line -> line.startsWith("START ") || line.startsWith("FAIL "))
                    .count();
        }
    }

    private static long count(String text, String needle) {
        return text.lines().filter(line -> line.contains(needle)).count();
    }
}
