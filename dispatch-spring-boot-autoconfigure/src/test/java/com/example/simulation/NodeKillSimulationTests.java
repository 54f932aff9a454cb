package com.example.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.support.JvmNodes;
import com.example.support.PostgresDatabase;
import com.example.testdb.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * process ({@link Invariants}), from the database and the effects the nodes wrote. A round is {@value #SCENARIOS}
 * scenarios and {@value #KILLS} kills, all drawn from the round's seed.
 */
class NodeKillSimulationTests {

    static final int SCENARIOS = 8;

    static final int KILLS = 2;

    static final Duration LEASE = Duration.ofSeconds(2);

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
     * {@code -Ddispatch.sim.node-rounds=N}, or {@code -Ddispatch.sim.runs=N} (a round per 20 runs): random rounds (the
     * long run of the {@code simulation} profile).
     */
    @Test
    @EnabledIfSystemProperty(named = "dispatch.sim.runs", matches = "\\d+")
    void randomRoundsKeepEveryInvariant() throws Exception {
        long runs = Long.getLong("dispatch.sim.runs");
        check(new Random()
                .longs(Long.getLong("dispatch.sim.node-rounds", Math.max(1, runs / 20)))
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
        PostgresDatabase database = PostgresDatabase.create();
        try (Connection connection = database.connect();
                JvmNodes nodes = new JvmNodes(dir, SimulationApplication.class)) {
            new ResourceDatabasePopulator(new ClassPathResource("dev/dispatch/store/schema-postgresql.sql"))
                    .execute(new SingleConnectionDataSource(connection, true));
            DataSource reads = new SingleConnectionDataSource(connection, true);
            Map<String, JvmNodes.Node> running = new LinkedHashMap<>();
            for (String node : NODES) {
                running.put(
                        node, nodes.start(node, args(database, dir, node, node.equals("sim-a") ? plans : List.of())));
            }
            for (JvmNodes.Node node : running.values()) {
                try {
                    node.awaitOutput("READY " + node.name(), STARTUP);
                } catch (AssertionError ex) {
                    throw new AssertionError(ex.getMessage() + nodes.output(), ex);
                }
            }
            Map<Long, Operation.Observations> seen = new LinkedHashMap<>();
            plans.forEach(plan -> seen.put(plan.seed(), new Operation.Observations()));
            long start = System.nanoTime();
            int kills = 0;
            long nextKill = 500 + random.nextInt(4000);
            while (System.nanoTime() - start
                    < Operation.DEADLINE.plusSeconds(60).toNanos()) {
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                boolean ended = true;
                for (Plan plan : plans) {
                    List<TreeRows.Row> rows = TreeRows.read(reads, plan);
                    Operation.Observations observations = seen.get(plan.seed());
                    Operation.watchLeases(rows, TreeRows.now(reads), LEASE, observations);
                    observations.ended = !rows.isEmpty() && rows.stream().allMatch(TreeRows.Row::terminal);
                    ended &= observations.ended;
                }
                if (kills < KILLS && elapsed >= nextKill) {
                    String victim = NODES.get(random.nextInt(NODES.size()));
                    kill(running.get(victim), plans, dir);
                    kills++;
                    // not waited for: the next kill may find it starting, a fault as good as any
                    running.put(victim, nodes.start(victim, args(database, dir, victim, List.of())));
                    nextKill = (System.nanoTime() - start) / 1_000_000 + random.nextInt(4000);
                } else if (ended && kills >= KILLS) {
                    break;
                }
                // paces the kill schedule of nodes in other JVMs: real time is what they run on
                Thread.sleep(100);
            }
            List<String> violations = new ArrayList<>();
            for (Plan plan : plans) {
                Invariants invariants = new Invariants(
                        plan,
                        Effects.read(Effects.file(dir, plan.seed())),
                        TreeRows.read(reads, plan),
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
        } finally {
            database.drop();
        }
    }

    private static void kill(JvmNodes.Node node, List<Plan> plans, Path dir) throws InterruptedException {
        node.process().destroyForcibly(); // SIGKILL: no shutdown hook, its leases stay held
        node.process().waitFor();
        for (Plan plan : plans) {
            Effects.append(Effects.file(dir, plan.seed()), Effects.FAULT, "node-kill", node.name());
        }
        Totals.fault("node-kill");
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
