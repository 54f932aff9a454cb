package com.example.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.support.EffectLog;
import com.example.support.JvmNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling restart: three nodes share a fan-out, and each in turn is stopped with SIGTERM (Spring Boot closes the
 * context: the scheduler stops claiming and lets running attempts finish) and replaced by a new JVM under the same
 * node id. A graceful stop hands nothing to the lease recovery, so no call runs twice.
 */
class RollingRestartTests {

    private static final int CALLS = 2400;

    /** Calls of 50 to 150 ms: the fan-out outlasts three JVM restarts, and each stop finds attempts running. */
    private static final String[] WORK = {"--nodes.work-min-millis=50", "--nodes.work-max-millis=150"};

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private Cluster cluster;

    @RegisterExtension
    final TestExecutionExceptionHandler withNodeOutput = (context, failure) -> {
        throw new AssertionError(failure.getMessage() + (this.cluster != null ? this.cluster.output() : ""), failure);
    };

    @BeforeEach
    void cluster() throws Exception {
        this.cluster = Cluster.create(this.dir, WORK);
    }

    @AfterEach
    void stop() {
        if (this.cluster != null) {
            this.cluster.close();
        }
    }

    @Test
    void stoppingEachNodeInTurnWithSigtermRepeatsNoCall() throws Exception {
        // All three start at once; node-a dispatches the fan-out when it is up, the others join as they come up.
        Map<String, JvmNodes.Node> current = new LinkedHashMap<>();
        current.put("node-a", this.cluster.start("node-a", "--nodes.fan-out=" + CALLS));
        current.put("node-b", this.cluster.start("node-b"));
        current.put("node-c", this.cluster.start("node-c"));
        Cluster.awaitReady(current.get("node-a"));
        long startedAt = System.nanoTime();
        Cluster.awaitReady(current.get("node-b"));
        Cluster.awaitReady(current.get("node-c"));
        Cluster.await(
                "a tenth of the calls done",
                RUN_TIMEOUT,
                () -> this.cluster.effects().count(EffectLog.DONE) >= CALLS / 10);

        List<String> restarts = new ArrayList<>();
        for (String nodeId : List.of("node-a", "node-b", "node-c")) {
            JvmNodes.Node old = current.get(nodeId);
            int running = this.cluster.runningOn(Work.NAME, nodeId).size();
            int succeeded = this.cluster.keys(Work.NAME, "SUCCEEDED").size();
            assertThat(succeeded)
                    .as("the fan-out still runs when %s is stopped", nodeId)
                    .isLessThan(CALLS);
            long stopping = System.nanoTime();
            old.process().destroy(); // SIGTERM: Spring Boot's shutdown hook closes the context
            assertThat(old.process().waitFor(Cluster.GRACE.toSeconds() + 20, TimeUnit.SECONDS))
                    .as("%s stopped within its grace period", nodeId)
                    .isTrue();
            long stopMillis = Duration.ofNanos(System.nanoTime() - stopping).toMillis();
            assertThat(this.cluster.runningOn(Work.NAME, nodeId))
                    .as("calls %s still holds after a graceful stop", nodeId)
                    .isEmpty();
            assertThat(Files.readString(old.out()))
                    .as("%s's log", old.label())
                    .doesNotContain("Attempts still running after the shutdown grace period");
            JvmNodes.Node fresh = this.cluster.start(nodeId);
            Cluster.awaitReady(fresh);
            current.put(nodeId, fresh);
            restarts.add(String.format(
                    "%s (%d running, %d of %d succeeded; stopped in %d ms, exit %d)",
                    nodeId, running, succeeded, CALLS, stopMillis, old.process().exitValue()));
        }

        Cluster.await(
                "every call succeeded",
                RUN_TIMEOUT,
                () -> this.cluster.keys(Work.NAME, "SUCCEEDED").size() == CALLS);
        Duration run = Duration.ofNanos(System.nanoTime() - startedAt);
        EffectLog effects = this.cluster.effects();
        Map<Integer, List<EffectLog.Entry>> starts = effects.byKey(EffectLog.START, Work.NAME);
        List<Integer> ranTwice = starts.entrySet().stream()
                .filter(entry -> entry.getValue().size() > 1)
                .map(Map.Entry::getKey)
                .toList();
        Map<String, Long> byProcess = new TreeMap<>();
        for (EffectLog.Entry entry : effects.entries()) {
            if (entry.kind().equals(EffectLog.DONE) && entry.function().equals(Work.NAME)) {
                byProcess.merge(entry.node() + "/" + entry.pid(), 1L, Long::sum);
            }
        }
        System.out.printf(
                "Rolling restart: %d calls on 3 nodes in %d ms; restarted %s; ran twice %s; DONE per node %s, per"
                        + " process %s%n",
                CALLS, run.toMillis(), restarts, ranTwice, effects.perNode(EffectLog.DONE, Work.NAME), byProcess);

        assertThat(this.cluster.statuses(Work.NAME)).as("one row per call").hasSize(CALLS);
        assertThat(ranTwice).as("calls that started more than once").isEmpty();
        assertThat(starts).as("calls that started").hasSize(CALLS);
        for (int key = 0; key < CALLS; key++) {
            assertThat(effects.count(EffectLog.DONE, Work.NAME, key))
                    .as("DONE lines of call %d", key)
                    .isOne();
        }
        this.cluster
                .attempts(Work.NAME)
                .forEach((key, attempts) ->
                        assertThat(attempts).as("attempts of call %d", key).isOne());
    }
}
