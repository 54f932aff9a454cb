package com.example.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.support.JvmNodes;
import com.example.support.PostgresDatabase;
import com.example.testdb.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The simulation's multi-JVM variant: three nodes of {@link SimulationApplication} share one PostgreSQL database and
 * one effects folder; the first dispatches a round of random scenarios, and nodes are killed with SIGKILL at random
 * moments and started again, while the test watches the leases. Once every call ended, each scenario is checked as in
 * process ({@link Invariants}), from the database and the effects the nodes wrote. A round is four scenarios per
 * kill ({@link #KILLS}: 2 in CI), all drawn from the round's seed; half are dispatched at the start, the rest a few
 * at a time by the nodes started again after kills, so that kills keep finding work in flight.
 */
class NodeKillSimulationTests {

    /**
     * Node kills per round: 2 in the CI round and in {@code -Ddispatch.sim.round}; {@value #LONG_KILLS} in a long run;
     * {@code -Ddispatch.sim.kills-per-round=N} sets it.
     */
    static final int LONG_KILLS = 20;

    static final int KILLS = Integer.getInteger(
            "dispatch.sim.kills-per-round", (System.getProperty("dispatch.sim.runs") != null) ? LONG_KILLS : 2);

    /** Scenarios per round: four per kill, dispatched in groups as nodes start, so that kills find work running. */
    static final int SCENARIOS = 4 * KILLS;

    static final Duration LEASE = Duration.ofSeconds(2);

    private static JvmNodes.Launch launch;

    /** Three JVMs starting at once on a small, busy machine. */
    static final Duration STARTUP = Duration.ofSeconds(150);

    static final List<String> NODES = List.of("sim-a", "sim-b", "sim-c");

    @TempDir
    Path dir;

    /** The fixed round CI runs. */
    @Test
    @DisabledIfSystemProperty(named = "dispatch.sim.seed", matches = ".+", disabledReason = "one scenario asked for")
    @DisabledIfSystemProperty(named = "dispatch.sim.round", matches = ".+", disabledReason = "one round asked for")
    @DisabledIfSystemProperty(named = "dispatch.sim.runs", matches = ".+", disabledReason = "random runs asked for")
    void theCiRoundKeepsEveryInvariant() throws Exception {
        check(new long[] {new Random(14).nextLong()});
    }

    /**
     * {@code -Ddispatch.sim.node-rounds=N}, or {@code -Ddispatch.sim.runs=N} (a kill per 10 runs: 1,000 kills in
     * 50 rounds of 20 for 10,000 runs): random rounds (the long run of the {@code simulation} profile).
     */
    @Test
    @EnabledIfSystemProperty(named = "dispatch.sim.runs", matches = "\\d+")
    void randomRoundsKeepEveryInvariant() throws Exception {
        long runs = Long.getLong("dispatch.sim.runs");
        check(new Random()
                .longs(Long.getLong("dispatch.sim.node-rounds", Math.max(1, runs / 10 / KILLS)))
                .toArray());
    }

    /** {@code -Ddispatch.sim.round=<hex>}: one round again, by the seed a run printed. */
    @Test
    @EnabledIfSystemProperty(named = "dispatch.sim.round", matches = "[0-9a-fA-F]+")
    void oneRoundAgain() throws Exception {
        check(new long[] {Long.parseUnsignedLong(System.getProperty("dispatch.sim.round"), 16)});
    }

    private void check(long[] rounds) throws Exception {
        Assumptions.assumeFalse(
                TestDatabase.isPostgres(), "runs on a PostgreSQL database of its own in the default run");
        List<String> violations = new ArrayList<>();
        try {
            for (long round : rounds) {
                if (!Totals.timeLeft()) {
                    break;
                }
                violations.addAll(round(round, this.dir.resolve("round-" + Long.toHexString(round))));
            }
        } finally {
            Totals.print();
        }
        assertThat(violations)
                .as("invariant violations (replay a round with -Ddispatch.sim.round=<round seed>)")
                .isEmpty();
    }

    private List<String> round(long roundSeed, Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        Random random = new Random(roundSeed);
        List<Plan> plans = random.longs(SCENARIOS)
                .mapToObj(Plan::of)
                .map(Plan::withoutOperatorAndFaults)
                .toList();
        System.out.println("SIMULATION round " + Long.toHexString(roundSeed) + ": scenarios "
                + plans.stream().map(p -> Long.toHexString(p.seed())).collect(Collectors.joining(",")));
        // half the scenarios from the start, the rest a few at a time by the nodes started after kills
        List<List<Plan>> groups = new ArrayList<>(List.of(plans.subList(0, SCENARIOS / 2)));
        for (int from = SCENARIOS / 2; from < SCENARIOS; from += SCENARIOS / 2 / KILLS) {
            groups.add(plans.subList(from, Math.min(SCENARIOS, from + SCENARIOS / 2 / KILLS)));
        }
        PostgresDatabase database = PostgresDatabase.create();
        try (Connection connection = database.connect()) {
            new ResourceDatabasePopulator(new ClassPathResource("dev/dispatch/store/schema-postgresql.sql"))
                    .execute(new SingleConnectionDataSource(connection, true));
            DataSource reads = new SingleConnectionDataSource(connection, true);
            try (JvmNodes nodes = new JvmNodes(dir, SimulationApplication.class, launch(database, dir))) {
                Map<String, JvmNodes.Node> running = new LinkedHashMap<>();
                for (String node : NODES) {
                    running.put(
                            node,
                            nodes.start(
                                    node, args(database, dir, node, node.equals("sim-a") ? groups.get(0) : List.of())));
                }
                for (JvmNodes.Node node : running.values()) {
                    try {
                        node.awaitOutput("READY " + node.name(), STARTUP);
                    } catch (AssertionError ex) {
                        throw new AssertionError(ex.getMessage() + nodes.output(), ex);
                    }
                }
                Map<Long, Operation.Observations> seen = new LinkedHashMap<>();
                plans.forEach(plan -> {
                    Operation.Observations observations = new Operation.Observations();
                    observations.starting = () -> Effects.starting(dir);
                    seen.put(plan.seed(), observations);
                });
                int kills = 0;
                long lastKill = System.nanoTime();
                long nextKill = lastKill + TimeUnit.MILLISECONDS.toNanos(500 + random.nextInt(4000));
                while (System.nanoTime() - lastKill
                        < Operation.DEADLINE.plusSeconds(60).toNanos()) {
                    Map<Long, List<TreeRows.Row>> all = TreeRows.readAll(reads, Instant.EPOCH);
                    Instant now = TreeRows.now(reads);
                    boolean ended = true;
                    for (Plan plan : plans) {
                        List<TreeRows.Row> rows = all.getOrDefault(plan.seed(), List.of());
                        Operation.Observations observations = seen.get(plan.seed());
                        Operation.watchLeases(rows, now, LEASE, observations);
                        observations.ended = !rows.isEmpty() && rows.stream().allMatch(TreeRows.Row::terminal);
                        ended &= observations.ended;
                    }
                    List<String> ready = readyNodes(running);
                    if (kills < KILLS && System.nanoTime() >= nextKill && ready.size() >= 2) {
                        // only a node that runs (one killed while it starts has nothing to lose), and never the last
                        // one: a lease that expires is taken over within a poll or so only while a node runs
                        String victim = ready.get(random.nextInt(ready.size()));
                        if (kill(running.get(victim), plans, dir)) {
                            kills++;
                        }
                        List<Plan> dispatch = (kills < groups.size()) ? groups.get(kills) : List.of();
                        running.put(victim, nodes.start(victim, args(database, dir, victim, dispatch)));
                        lastKill = System.nanoTime();
                        nextKill = lastKill + TimeUnit.MILLISECONDS.toNanos(random.nextInt(4000));
                    } else if (ended && kills >= KILLS) {
                        break;
                    }
                    // paces the kill schedule of nodes in other JVMs: real time is what they run on
                    Thread.sleep(100);
                }
                List<String> violations = new ArrayList<>();
                Map<Long, List<TreeRows.Row>> all = TreeRows.readAll(reads, Instant.EPOCH);
                for (Plan plan : plans) {
                    Invariants invariants = new Invariants(
                            plan,
                            Effects.read(Effects.file(dir, plan.seed())),
                            all.getOrDefault(plan.seed(), List.of()),
                            seen.get(plan.seed()));
                    Totals.scenario();
                    Totals.checks(invariants.checks());
                    Totals.violations(invariants.violations().size());
                    invariants.violations().forEach(v -> System.out.println("VIOLATION " + v));
                    violations.addAll(invariants.violations());
                }
                if (!violations.isEmpty()) {
                    System.out.println(nodes.output());
                }
                return violations;
            }
        } finally {
            database.drop();
        }
    }

    /** The nodes that have started (printed READY) and still run. */
    private static List<String> readyNodes(Map<String, JvmNodes.Node> running) throws IOException {
        List<String> ready = new ArrayList<>();
        for (JvmNodes.Node node : running.values()) {
            if (node.process().isAlive() && node.printedLine("READY ") != null) {
                ready.add(node.name());
            }
        }
        return ready;
    }

    /** SIGKILL: no shutdown hook, its leases stay held. Whether it ended the node (rather than its own exit). */
    private static boolean kill(JvmNodes.Node node, List<Plan> plans, Path dir) throws InterruptedException {
        if (!node.kill()) {
            return false;
        }
        for (Plan plan : plans) {
            Effects.append(Effects.file(dir, plan.seed()), Effects.FAULT, "node-kill", node.name());
        }
        Totals.fault("node-kill");
        return true;
    }

    /**
     * How nodes start. In a long run, with a class-data-sharing archive (made once, by a node started for it and
     * stopped gracefully), which halves the CPU time of every start after it; as the test JVM starts otherwise.
     */
    private static JvmNodes.Launch launch(PostgresDatabase database, Path dir) throws Exception {
        if (launch != null) {
            return launch;
        }
        launch = JvmNodes.Launch.plain();
        if (KILLS > 2) {
            // under target/, where a clean removes it; made again in each run, from the classes as they are
            Path archiveDir = Path.of("target", "sim-cds").toAbsolutePath();
            org.springframework.util.FileSystemUtils.deleteRecursively(archiveDir);
            JvmNodes.Launch shared = JvmNodes.Launch.sharedArchive(java.nio.file.Files.createDirectories(archiveDir));
            try (JvmNodes nodes = new JvmNodes(dir, SimulationApplication.class, shared.training())) {
                JvmNodes.Node node = nodes.start("sim-cds", args(database, dir, "sim-cds", List.of()));
                node.awaitOutput("READY sim-cds", STARTUP);
                node.process().destroy(); // SIGTERM: the JVM exits normally and writes the archive
                node.process().waitFor(60, TimeUnit.SECONDS);
            }
            if (shared.ready()) {
                launch = shared;
            } else {
                System.out.println("SIMULATION nodes start without a class-data-sharing archive: none was written");
            }
        }
        return launch;
    }

    private static List<String> args(PostgresDatabase database, Path dir, String node, List<Plan> dispatch) {
        return List.of(
                "--spring.datasource.url=" + database.url(),
                "--spring.datasource.username=" + PostgresDatabase.USER,
                "--spring.datasource.password=" + PostgresDatabase.PASSWORD,
                "--spring.datasource.hikari.maximum-pool-size=10",
                "--spring.main.web-application-type=none",
                "--spring.main.banner-mode=off",
                "--spring.main.keep-alive=true",
                "--spring.jpa.hibernate.ddl-auto=validate",
                "--dispatch.jdbc.initialize-schema=always",
                "--dispatch.node-id=" + node,
                "--dispatch.workers=4",
                "--dispatch.lease-duration=" + LEASE.toMillis() + "ms",
                "--dispatch.poll-interval=200ms",
                "--logging.level.dev.dispatch=WARN",
                "--sim.effects=" + dir,
                "--sim.dispatch="
                        + dispatch.stream().map(p -> Long.toHexString(p.seed())).collect(Collectors.joining(",")));
    }
}
