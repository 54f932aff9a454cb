package com.example.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.faults.workflow.FaultsApplication;
import com.example.faults.workflow.Workflow;
import com.example.support.JvmNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes at random points: runs the workflow ({@link Workflow}: batch, gather with retries, any with permanent
 * failures, a gather fed by a gather) in a JVM of its own on a fresh H2 file, kills it with SIGKILL at a uniformly
 * random moment in the first half of its expected time 1 to 3 times, restarts it each time, and checks the
 * invariants of {@link Audit}. The first run is a reference without crashes: its duration is the expected end.
 *
 * <p>{@code -Ddispatch.faults.runs=N} sets the number of runs (3 by default, for CI; more on demand),
 * {@code -Ddispatch.faults.seed=S} replays the random choices of a failed run, {@code -Ddispatch.faults.size=K} sets
 * the keys per step (the workflow makes 3K + 4 calls). The figures are printed on standard output.
 */
class CrashLoopTests {

    private static final int RUNS = Integer.getInteger("dispatch.faults.runs", 3);

    private static final long SEED = Long.getLong("dispatch.faults.seed", System.nanoTime());

    private static final int SIZE = Integer.getInteger("dispatch.faults.size", 25);

    private static final int WORK_MILLIS = 2;

    /** Generous: the machine may be busy with other builds. */
    private static final long START_SECONDS = 90;

    private static final long FINISH_SECONDS = 120;

    @TempDir
    Path dir;

    private JvmNodes nodes;

    /** A failure carries the seed and what the nodes printed: the temp dir is gone after the test. */
    @RegisterExtension
    final TestExecutionExceptionHandler withSeedAndNodeOutput = (context, failure) -> {
        throw new AssertionError(
                failure.getMessage() + "\n(seed " + SEED + ": rerun with -Ddispatch.faults.seed=" + SEED + ")"
                        + this.nodes.output(),
                failure);
    };

    @BeforeEach
    void nodes() {
        this.nodes = new JvmNodes(this.dir, FaultsApplication.class);
    }

    @AfterEach
    void killNodes() {
        this.nodes.close();
    }

    @Test
    void theWorkflowSurvivesSigkillAtRandomMomentsWithTheResultOfARunWithoutCrashes() throws Exception {
        Random random = new Random(SEED);
        long expectedMillis = referenceRun();
        System.out.println("Reference run without crashes: " + expectedMillis + " ms from READY to the end");
        int planned = 0;
        int crashes = 0;
        int calls = 0;
        int lost = 0;
        int repeatedInFlight = 0;
        int repeatedBeyondInFlight = 0;
        List<String> violations = new ArrayList<>();
        for (int run = 1; run <= RUNS; run++) {
            RunAudit audit = crashRun(run, random, expectedMillis);
            planned += audit.planned();
            crashes += audit.crashes();
            calls += audit.result().calls;
            lost += audit.result().lost;
            repeatedInFlight += audit.result().repeatedInFlight;
            repeatedBeyondInFlight += audit.result().repeatedBeyondInFlight;
            audit.result()
                    .violations
                    .forEach(v -> violations.add("run " + audit.run() + " (" + audit.crashes() + " crashes): " + v));
        }
        String figures = "Crash loop (seed " + SEED + "): " + RUNS + " runs, " + crashes + " crashes injected ("
                + planned + " planned), "
                + calls + " calls, " + lost + " lost, " + repeatedInFlight + " repeated in flight, "
                + repeatedBeyondInFlight + " repeated beyond in-flight";
        System.out.println(figures);
        assertThat(violations).as(figures).isEmpty();
        assertThat(crashes).as("crashes injected: " + figures).isPositive();
    }

    /** Runs the workflow once without crashes: checks it and returns how long it took. */
    private long referenceRun() throws Exception {
        Path run = Files.createDirectories(this.dir.resolve("reference"));
        JvmNodes.Node node = WorkflowNode.start(
                this.nodes, "reference", url(run), "sa", SIZE, WORK_MILLIS, run.resolve("effects.log"));
        WorkflowNode.awaitReady(node, START_SECONDS);
        long millis = WorkflowNode.awaitFinished(node, FINISH_SECONDS, url(run), "sa");
        Audit reference = Audit.check(
                SIZE, Effects.read(run.resolve("effects.log")), Rows.read(url(run), "sa", ""), List.of(), 0);
        assertThat(reference.violations)
                .as("the reference run, without crashes")
                .isEmpty();
        return millis;
    }

    /** One run: start, kill at random 1 to 3 times, restart, then audit. */
    private RunAudit crashRun(int run, Random random, long expectedMillis) throws Exception {
        Path runDir = Files.createDirectories(this.dir.resolve("run" + run));
        Path effects = runDir.resolve("effects.log");
        int planned = 1 + random.nextInt(3);
        List<Long> pids = new ArrayList<>();
        List<Kill> kills = new ArrayList<>();
        List<Long> delays = new ArrayList<>();
        for (int start = 1; ; start++) {
            String name = "run" + run + "-node" + start;
            JvmNodes.Node node = WorkflowNode.start(this.nodes, name, url(runDir), "sa", SIZE, WORK_MILLIS, effects);
            pids.add(node.pid());
            WorkflowNode.awaitReady(node, START_SECONDS);
            if (kills.size() == planned) {
                WorkflowNode.awaitFinished(node, FINISH_SECONDS, url(runDir), "sa");
                break;
            }
            // a uniformly random moment in the first half of the workflow's expected time: a run can be quicker than
            // the reference on a machine whose load changes, and a moment after its end crashes nothing (seen once,
            // with no crash in any of the runs)
            long delay = random.nextLong(expectedMillis / 2 + 1);
            delays.add(delay);
            node.process().waitFor(delay, TimeUnit.MILLISECONDS);
            if (!node.kill()) {
                // it finished before the chosen moment: nothing to crash any more
                assertThat(node.process().exitValue())
                        .as("exit code of " + name)
                        .isZero();
                break;
            }
            kills.add(new Kill(kills.size() + 1, node.pid(), pids.size(), Rows.read(url(runDir), "sa", "")));
        }
        Effects log = Effects.read(effects);
        List<Audit.Fault> faults = new ArrayList<>();
        for (Kill kill : kills) {
            Set<Long> later = new HashSet<>(pids.subList(kill.startsBefore(), pids.size()));
            Set<String> finished = kill.rows().calls().keySet().stream()
                    .filter(kill.rows()::isTerminal)
                    .collect(Collectors.toSet());
            faults.add(new Audit.Fault(
                    "kill " + kill.number() + " (pid " + kill.pid() + ")",
                    entry -> entry.pid() == kill.pid()
                            && isLastRunInProcess(log, entry)
                            && !kill.rows().isTerminal(entry.call()),
                    finished,
                    later));
        }
        Audit audit = Audit.check(SIZE, log, Rows.read(url(runDir), "sa", ""), faults, WorkflowNode.WORKERS);
        System.out.println("Run " + run + ": kills planned " + planned + ", injected " + kills.size() + "; kill"
                + " moments after READY (ms): " + delays + "; " + audit.repeatedInFlight + " calls repeated in flight, "
                + audit.violations.size() + " violations");
        return new RunAudit(run, planned, kills.size(), audit);
    }

    /** Whether no later run of the same call happened in the same process: only that one can have been cut short. */
    private static boolean isLastRunInProcess(Effects log, Effects.Entry entry) {
        List<Effects.Entry> runs = log.runs(entry.call()).stream()
                .filter(run -> run.pid() == entry.pid())
                .toList();
        return runs.get(runs.size() - 1) == entry;
    }

    /**
     * WRITE_DELAY=0 makes H2 write each commit to the file at once: by default it delays writing commits by up to
     * 500 ms, so a SIGKILL would lose steps the engine saw committed, and the test would blame the engine.
     */
    private static String url(Path run) {
        return "jdbc:h2:file:" + run.resolve("dispatch").toAbsolutePath() + ";WRITE_DELAY=0";
    }

    /**
     * A crash injected: the killed process, how many nodes had started by then, and the database right after.
     */
    private record Kill(int number, long pid, int startsBefore, Rows rows) {}

    private record RunAudit(int run, int planned, int crashes, Audit result) {}
}
