package com.example.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.testdb.SharedDatabase;
import com.example.testdb.TestDatabase;
import dev.dispatch.Dispatcher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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

    static SharedDatabase database;

    static ConfigurableApplicationContext node;

    /** Started by the first test that runs, not before: all of them may be disabled. */
    static void start() {
        // the suite's second run, on PostgreSQL, would only repeat this one: it has a database of its own already
        Assumptions.assumeFalse(
                TestDatabase.isPostgres(), "runs on a PostgreSQL database of its own in the default run");
        if (node != null) {
            return;
        }
        database = "h2".equals(System.getProperty("dispatch.sim.database"))
                ? SharedDatabase.h2()
                : SharedDatabase.postgres();
        node = database.start(
                SimulationApplication.class,
                "sim.effects=" + dir,
                "dispatch.node-id=sim-local",
                "dispatch.workers=8",
                "dispatch.lease-duration=" + LEASE.toMillis() + "ms",
                "dispatch.poll-interval=100ms",
                "spring.datasource.hikari.maximum-pool-size=16",
                "logging.level.dev.dispatch=ERROR");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (database != null) {
            database.close();
            Totals.print();
        }
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

    private static void check(long[] seeds) throws InterruptedException {
        start();
        List<String> violations = new ArrayList<>();
        for (long seed : seeds) {
            violations.addAll(runScenario(seed));
        }
        assertThat(violations)
                .as("invariant violations (replay one with -Ddispatch.sim.seed=<seed>)")
                .isEmpty();
    }

    static List<String> runScenario(long seed) throws InterruptedException {
        Plan plan = Plan.of(seed);
        System.out.println("SIMULATION seed " + Long.toHexString(seed) + ": "
                + plan.nodes().size() + " calls, " + plan.operator() + ", " + plan.faults());
        Dispatcher dispatcher = node.getBean(Dispatcher.class);
        Parents parents = node.getBean(Parents.class);
        FaultInjector faults = node.getBean(FaultInjector.class);
        Operation.Observations seen = new Operation(plan, dir, dispatcher, faults, LEASE)
                .run(() -> SimulationApplication.dispatchRoot(dispatcher, parents, plan));
        Invariants invariants =
                new Invariants(plan, Effects.read(Effects.file(dir, seed)), TreeRows.read(faults.raw(), plan), seen);
        Totals.scenario();
        Totals.checks(invariants.checks());
        Totals.violations(invariants.violations().size());
        invariants.violations().forEach(v -> System.out.println("VIOLATION " + v));
        if (!invariants.violations().isEmpty()) {
            System.out.println("EFFECTS of " + Long.toHexString(seed) + ":");
            invariants.lines().forEach(line -> System.out.println("  " + abbreviate(line.toString())));
            TreeRows.read(faults.raw(), plan).forEach(row -> System.out.println("  " + abbreviate(row.toString())));
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
