package com.example.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.testdb.SharedDatabase;
import com.example.testdb.TestDatabase;
import dev.dispatch.Dispatcher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The randomized fault simulation, in process: random trees, outcomes, operator actions and JDBC faults and heartbeat
 * stalls, each scenario checked against its model ({@link Invariants}). Every scenario prints its seed;
 * {@code -Ddispatch.sim.seed=<hex>} replays one, {@code -Ddispatch.sim.runs=N} runs N random ones besides the fixed
 * set CI runs. On PostgreSQL ({@code -Ddispatch.sim.database=h2} for an H2 file).
 */
class SimulationTests {

    /** The fixed set CI runs: about three minutes on a small machine. */
    static final long[] CI_SEEDS = ciSeeds();

    /** Short, so that heartbeat stalls expire leases; not shorter, so that a busy machine's pauses do not. */
    static final Duration LEASE = Duration.ofSeconds(2);

    @TempDir
    static Path dir;

    /** The nodes scenarios run on, each on a database of its own ({@code -Ddispatch.sim.lanes=N}, 1 by default). */
    static final List<Lane> lanes = new ArrayList<>();

    /** A node and its database: one scenario at a time runs on it, so that its faults are that scenario's alone. */
    record Lane(SharedDatabase database, ConfigurableApplicationContext node) {}

    /** Started by the first test that runs, not before: all of them may be disabled. */
    static void start() {
        // the suite's second run, on PostgreSQL, would only repeat this one: it has a database of its own already
        Assumptions.assumeFalse(
                TestDatabase.isPostgres(), "runs on a PostgreSQL database of its own in the default run");
        if (!lanes.isEmpty()) {
            return;
        }
        int count = Integer.getInteger("dispatch.sim.lanes", 1);
        for (int i = 0; i < count; i++) {
            SharedDatabase database = "h2".equals(System.getProperty("dispatch.sim.database"))
                    ? SharedDatabase.h2()
                    : SharedDatabase.postgres();
            ConfigurableApplicationContext node = database.start(
                    SimulationApplication.class,
                    "sim.effects=" + dir,
                    "dispatch.node-id=sim-local" + ((i == 0) ? "" : "-" + i),
                    "dispatch.workers=8",
                    "dispatch.lease-duration=" + LEASE.toMillis() + "ms",
                    "dispatch.poll-interval=100ms",
                    "spring.datasource.hikari.maximum-pool-size=16",
                    "logging.level.dev.dispatch=ERROR");
            lanes.add(new Lane(database, node));
        }
    }

    @AfterAll
    static void stop() {
        if (lanes.isEmpty()) {
            return;
        }
        for (Lane lane : lanes) {
            lane.node().close();
            lane.database().close();
        }
        lanes.clear();
        Totals.print();
    }

    /** The fixed seed set CI runs. */
    @Test
    @DisabledIfSystemProperty(named = "dispatch.sim.seed", matches = ".+", disabledReason = "one scenario asked for")
    @DisabledIfSystemProperty(named = "dispatch.sim.round", matches = ".+", disabledReason = "one round asked for")
    @DisabledIfSystemProperty(named = "dispatch.sim.runs", matches = ".+", disabledReason = "random runs asked for")
    void theCiSeedSetKeepsEveryInvariant() throws Exception {
        check(CI_SEEDS);
    }

    /** {@code -Ddispatch.sim.runs=N}: N random scenarios (the long run of the {@code simulation} profile). */
    @Test
    @EnabledIfSystemProperty(named = "dispatch.sim.runs", matches = "\\d+")
    void randomScenariosKeepEveryInvariant() throws Exception {
        check(new Random().longs(Long.getLong("dispatch.sim.runs")).toArray());
    }

    /** {@code -Ddispatch.sim.seed=<hex>}: one scenario again, by the seed a run printed. */
    @Test
    @EnabledIfSystemProperty(named = "dispatch.sim.seed", matches = "[0-9a-fA-F]+")
    void oneScenarioAgain() throws Exception {
        check(new long[] {Long.parseUnsignedLong(System.getProperty("dispatch.sim.seed"), 16)});
    }

    /**
     * Runs the scenarios, on each lane one after the other: lanes run side by side, each taking the next seed not yet
     * taken, so that a long run uses the machine's idle time (a scenario mostly waits).
     */
    private static void check(long[] seeds) throws Exception {
        start();
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(lanes.size());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Lane lane : lanes) {
                running.add(executor.submit(() -> {
                    for (int i = next.getAndIncrement();
                            i < seeds.length && Totals.timeLeft();
                            i = next.getAndIncrement()) {
                        violations.addAll(runScenario(lane, seeds[i]));
                    }
                    return null;
                }));
            }
            for (Future<?> lane : running) {
                lane.get();
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(violations)
                .as("invariant violations (replay one with -Ddispatch.sim.seed=<seed>)")
                .isEmpty();
    }

    static List<String> runScenario(Lane lane, long seed) throws InterruptedException {
        Plan plan = Plan.of(seed);
        System.out.println("SIMULATION seed " + Long.toHexString(seed) + ": "
                + plan.nodes().size() + " calls, " + plan.operator() + ", " + plan.faults());
        ConfigurableApplicationContext node = lane.node();
        Dispatcher dispatcher = node.getBean(Dispatcher.class);
        Parents parents = node.getBean(Parents.class);
        FaultInjector faults = node.getBean(FaultInjector.class);
        Operation.Observations seen = new Operation(plan, dir, dispatcher, faults, LEASE)
                .run(() -> SimulationApplication.dispatchRoot(dispatcher, parents, plan));
        Invariants invariants = new Invariants(
                plan, Effects.read(Effects.file(dir, seed)), TreeRows.read(faults.raw(), plan, seen.since), seen);
        Totals.scenario();
        Totals.checks(invariants.checks());
        Totals.violations(invariants.violations().size());
        if (!invariants.violations().isEmpty()) {
            // one block per scenario, whole, though lanes print side by side
            StringBuilder report = new StringBuilder();
            invariants
                    .violations()
                    .forEach(v -> report.append("VIOLATION ").append(v).append('\n'));
            report.append("EFFECTS of ").append(Long.toHexString(seed)).append(":\n");
            invariants
                    .lines()
                    .forEach(line -> report.append("  ")
                            .append(abbreviate(line.toString()))
                            .append('\n'));
            TreeRows.read(faults.raw(), plan, seen.since)
                    .forEach(row -> report.append("  ")
                            .append(abbreviate(row.toString()))
                            .append('\n'));
            System.out.print(report);
        }
        return invariants.violations();
    }

    private static String abbreviate(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "..." : text;
    }

    private static long[] ciSeeds() {
        Random random = new Random(14);
        return random.longs(40).toArray();
    }
}
