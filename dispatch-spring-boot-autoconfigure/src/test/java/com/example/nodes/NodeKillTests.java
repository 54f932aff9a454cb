package com.example.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.support.EffectLog;
import com.example.support.JvmNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * Three nodes on one PostgreSQL database share a fan-out of a few thousand calls; one of them is killed with SIGKILL
 * in the middle. The others take its running calls over once their leases expire, every call completes, no call
 * that had succeeded runs again, and the only calls that run twice are those the dead node was running.
 */
class NodeKillTests {

    private static final int CALLS = 2400;

    /** What the machine may add to lease + poll interval before a survivor takes over: JVM and database scheduling. */
    private static final Duration TAKEOVER_MARGIN = Duration.ofMillis(1500);

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private Cluster cluster;

    @RegisterExtension
    final TestExecutionExceptionHandler withNodeOutput = (context, failure) -> {
        if (failure instanceof TestAbortedException) {
            throw failure; // an assumption that does not hold skips the test, with its reason
        }
        throw new AssertionError(failure.getMessage() + (this.cluster != null ? this.cluster.output() : ""), failure);
    };

    @BeforeEach
    void cluster() throws Exception {
        this.cluster = Cluster.create(database(), this.dir);
    }

    /** The database the nodes share. */
    ClusterDatabase database() {
        return ClusterDatabase.postgres();
    }

    @AfterEach
    void stop() {
        if (this.cluster != null) {
            this.cluster.close();
        }
    }

    @Test
    void aNodeKilledMidFanOutHasItsCallsTakenOverAndOnlyThoseRunTwice() throws Exception {
        this.cluster.startAll("node-b", "node-c");
        JvmNodes.Node starter = this.cluster.start("node-a", "--nodes.fan-out=" + CALLS);
        Cluster.awaitReady(starter);
        long startedAt = System.nanoTime();
        Map<String, JvmNodes.Node> nodes =
                this.cluster.started().stream().collect(Collectors.toMap(JvmNodes.Node::name, Function.identity()));

        awaitDone(CALLS / 3);
        Duration beforeKill = Duration.ofNanos(System.nanoTime() - startedAt);
        // the node holding the most calls, so that the kill leaves work to take over
        Kill kill = killHolding(nodes);
        String victim = kill.victim();
        Map<String, Integer> leases = kill.leases();
        long killedAt = kill.at();
        // Once the database closed the dead node's connections, whatever it was committing committed or rolled back:
        // what the database says now is what the node left behind.
        Cluster.await(
                "the database closed " + victim + "'s connections",
                Duration.ofSeconds(10),
                () -> !this.cluster.connected(victim));
        Set<Integer> succeededAtKill = this.cluster.keys(Work.NAME, "SUCCEEDED");
        Set<Integer> inFlight = this.cluster.runningOn(Work.NAME, victim);
        int logAtKill = this.cluster.effects().size();
        assertThat(succeededAtKill)
                .as("the kill landed in the middle of the fan-out")
                .isNotEmpty()
                .hasSizeLessThan(CALLS);
        // Leased: running on a worker or ended and being recorded (at most workers + claim-ahead, by default three
        // times the workers), or claimed and waiting for a worker (as many again). Only those that ran may run again
        // (checked below: at most workers + claim-ahead).
        assertThat(inFlight)
                .as("calls %s held at the kill (leases at the kill: %s)", victim, leases)
                .isNotEmpty()
                .hasSizeLessThanOrEqualTo(2 * 3 * Cluster.WORKERS);

        // Taken over: a survivor's housekeeping found the expired leases and ended the dead node's attempts.
        Cluster.await(
                "the survivors took over " + inFlight,
                RUN_TIMEOUT,
                () -> this.cluster.runningOn(Work.NAME, victim).isEmpty());
        Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);

        Cluster.await(
                "every call succeeded",
                RUN_TIMEOUT,
                () -> this.cluster.keys(Work.NAME, "SUCCEEDED").size() == CALLS);
        Duration run = Duration.ofNanos(System.nanoTime() - killedAt);

        EffectLog effects = this.cluster.effects();
        Map<Integer, Integer> attempts = this.cluster.attempts(Work.NAME);
        Set<Integer> ranTwice = new TreeSet<>();
        effects.byKey(EffectLog.START, Work.NAME).forEach((key, starts) -> {
            if (starts.size() > 1) {
                ranTwice.add(key);
            }
        });
        Map<String, Long> doneAfterKill = effects.since(logAtKill).perNode(EffectLog.DONE, Work.NAME);
        System.out.printf(
                "Kill: %d calls on 3 nodes, a third done %d ms after the start; killed %s holding %d leases %s at %d succeeded; taken over after %d ms"
                        + " (lease %d ms + poll %d ms); all done %d ms after the kill; ran twice %s;"
                        + " DONE per node %s, after the kill %s%n",
                CALLS,
                beforeKill.toMillis(),
                victim,
                inFlight.size(),
                inFlight,
                succeededAtKill.size(),
                takeover.toMillis(),
                Cluster.LEASE.toMillis(),
                Cluster.POLL.toMillis(),
                run.toMillis(),
                ranTwice,
                effects.perNode(EffectLog.DONE, Work.NAME),
                doneAfterKill);

        assertThat(this.cluster.statuses(Work.NAME))
                .as("one row per call, all SUCCEEDED")
                .hasSize(CALLS);
        assertThat(this.cluster.statuses(FanOut.NAME))
                .as("the root, recorded once")
                .containsOnlyKeys(CALLS)
                .containsValue("SUCCEEDED");
        for (int key = 0; key < CALLS; key++) {
            assertThat(effects.count(EffectLog.DONE, Work.NAME, key))
                    .as("DONE lines of call %d", key)
                    .isPositive();
        }
        for (int key : succeededAtKill) {
            assertThat(effects.count(EffectLog.START, Work.NAME, key))
                    .as("call %d had SUCCEEDED at the kill: it ran once", key)
                    .isOne();
        }
        assertThat(ranTwice)
                .as("calls that ran twice were running on %s at the kill, %s", victim, inFlight)
                .isSubsetOf(inFlight)
                .hasSizeLessThanOrEqualTo(3 * Cluster.WORKERS)
                .allSatisfy(key -> {
                    List<EffectLog.Entry> starts =
                            effects.byKey(EffectLog.START, Work.NAME).get(key);
                    assertThat(starts).as("STARTs of call %d", key).hasSize(2);
                    assertThat(starts.get(0).node())
                            .as("first run of call %d", key)
                            .isEqualTo(victim);
                    assertThat(starts.get(1).node())
                            .as("second run of call %d", key)
                            .isNotEqualTo(victim);
                });
        // An expired lease counts as a failed attempt if the body had started: the calls that ran twice took two; a
        // call claimed ahead that never started was taken over without using one (one in all; two only if the kill
        // fell between its start and its first line); every other call one.
        attempts.forEach((key, count) -> {
            if (ranTwice.contains(key)) {
                assertThat(count)
                        .as("attempts of call %d, which ran twice", key)
                        .isEqualTo(2);
            } else if (inFlight.contains(key)) {
                assertThat(count)
                        .as("attempts of call %d, held at the kill", key)
                        .isBetween(1, 2);
            } else {
                assertThat(count).as("attempts of call %d", key).isOne();
            }
        });
        assertThat(takeover)
                .as("takeover within lease %s + poll %s + margin %s", Cluster.LEASE, Cluster.POLL, TAKEOVER_MARGIN)
                .isLessThanOrEqualTo(Cluster.LEASE.plus(Cluster.POLL).plus(TAKEOVER_MARGIN));
        long remaining = CALLS - succeededAtKill.size();
        assertThat(doneAfterKill)
                .as("calls done after the kill, by node")
                .doesNotContainKey(victim)
                .hasSize(2)
                .allSatisfy((node, done) -> assertThat(done)
                        .as("%s's share of the %d calls left at the kill", node, remaining)
                        .isGreaterThanOrEqualTo(remaining / 10));
    }

    /**
     * A node killed with SIGKILL and started again under the same {@code dispatch.node-id} before its leases expired
     * (a supervisor restarting it, a pod of a StatefulSet named after its host): the new process must not keep the
     * dead one's calls alive. They are taken over once their leases expire, as if the node had not come back.
     */
    @Test
    void aNodeRestartedUnderItsIdAfterSigkillDoesNotHoldItsPredecessorsCalls() throws Exception {
        // a lease longer than a JVM restart, so the new process is up before the dead one's leases expire
        Duration lease = Duration.ofSeconds(20);
        String leaseArg = "--dispatch.lease-duration=" + lease.toMillis() + "ms";
        int calls = 1200;
        JvmNodes.Node other = this.cluster.start("node-b", leaseArg);
        Cluster.awaitReady(other);
        JvmNodes.Node victim = this.cluster.start("node-a", leaseArg, "--nodes.fan-out=" + calls);
        Cluster.awaitReady(victim);

        awaitDone(calls / 3);
        long killedAt = killHolding(Map.of("node-a", victim)).at();
        Cluster.await(
                "the database closed node-a's connections",
                Duration.ofSeconds(10),
                () -> !this.cluster.connected("node-a"));
        Set<Integer> inFlight = this.cluster.runningOn(Work.NAME, "node-a");
        assertThat(inFlight).as("calls node-a was running at the kill").isNotEmpty();
        JvmNodes.Node again = this.cluster.start("node-a", leaseArg);
        Cluster.awaitReady(again);
        Duration restart = Duration.ofNanos(System.nanoTime() - killedAt);
        Assumptions.assumeTrue(
                restart.compareTo(lease.minus(Cluster.POLL)) < 0,
                () -> "node-a took " + restart + " to come back, longer than its old leases (" + lease
                        + "): too slow a machine for this test to show anything");

        Cluster.await(
                "the dead process's calls " + inFlight + " taken over",
                lease.plus(Cluster.POLL).plus(TAKEOVER_MARGIN).plus(Duration.ofSeconds(5)),
                () -> this.cluster.runningOn(Work.NAME, "node-a").stream().noneMatch(inFlight::contains));
        Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
        Cluster.await(
                "every call succeeded",
                RUN_TIMEOUT,
                () -> this.cluster.keys(Work.NAME, "SUCCEEDED").size() == calls);
        System.out.printf(
                "Same-id restart: node-a killed holding %s, back under its id after %d ms, its calls taken over"
                        + " after %d ms (lease %d ms)%n",
                inFlight, restart.toMillis(), takeover.toMillis(), lease.toMillis());
        assertThat(takeover)
                .as("takeover within lease %s + poll %s + margin %s", lease, Cluster.POLL, TAKEOVER_MARGIN)
                .isLessThanOrEqualTo(lease.plus(Cluster.POLL).plus(TAKEOVER_MARGIN));
        EffectLog effects = this.cluster.effects();
        effects.byKey(EffectLog.START, Work.NAME)
                .forEach((key, starts) -> assertThat(starts.size())
                        .as("STARTs of call %d", key)
                        .isEqualTo(inFlight.contains(key) ? starts.size() : 1));
    }

    /**
     * Kills (SIGKILL: no shutdown hook, its leases stay held) the one of {@code nodes} that holds the most calls, at an
     * instant it holds some. On a loaded machine the node picked may hold none by the time it dies, having ended its
     * calls and not yet claimed more; so it is frozen first (SIGSTOP), and once none of its connections runs a
     * statement, the calls the database shows it holding are those it leaves behind. If it holds none (or a statement
     * of it stays running), it runs on for a poll interval and the pick is made again.
     */
    private Kill killHolding(Map<String, JvmNodes.Node> nodes) throws Exception {
        for (int pick = 1; ; pick++) {
            Map<String, Integer> leases = this.cluster.leasesByNode(Work.NAME);
            String victim = leases.entrySet().stream()
                    .filter(entry -> nodes.containsKey(entry.getKey()))
                    .max(Map.Entry.comparingByValue())
                    .map(Map.Entry::getKey)
                    .orElse(null);
            if (victim == null && pick == 20) {
                throw new AssertionError("None of " + nodes.keySet() + " ran a call in 20 looks; last: " + leases);
            }
            if (victim != null) {
                JvmNodes.Node node = nodes.get(victim);
                node.freeze();
                if ((quiet(victim) && !this.cluster.runningOn(Work.NAME, victim).isEmpty()) || pick == 20) {
                    long at = System.nanoTime();
                    node.process().destroyForcibly();
                    assertThat(node.process().waitFor(10, TimeUnit.SECONDS))
                            .as("the killed node exited")
                            .isTrue();
                    return new Kill(victim, leases, at);
                }
                node.thaw();
            }
            // paces the next pick: the node claims again within a poll interval
            Thread.sleep(Cluster.POLL.toMillis());
        }
    }

    /**
     * Whether none of a frozen node's connections runs a statement, within a second. One may wait for good: on a row
     * lock that another of its transactions, frozen before its commit, holds.
     */
    private boolean quiet(String node) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (this.cluster.busy(node)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            // polls the database until its deadline: the statements run in the server's threads
            Thread.sleep(20);
        }
        return true;
    }

    /** The node killed, the leases each node held when it was picked, and when it was killed. */
    private record Kill(String victim, Map<String, Integer> leases, long at) {}

    private void awaitDone(int calls) throws Exception {
        Cluster.await(
                calls + " calls done", RUN_TIMEOUT, () -> this.cluster.effects().count(EffectLog.DONE) >= calls);
    }
}
