package com.example.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.support.EffectLog;
import com.example.support.JvmNodes;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Schedules ticking every second on three nodes (JVMs) sharing one PostgreSQL database, one of them killed with SIGKILL
 * while it runs a tick: every tick of the window runs exactly once (the killed node's tick is taken over and finishes
 * elsewhere), and the slow schedule with {@code Overlap.SKIP} never has two runs at once, over a minute of ticks.
 */
class ScheduleClusterTests {

    private static final Duration WINDOW = Duration.ofSeconds(60);

    private static final String PREFIX = "dispatch-schedule:" + Ticks.TICK + ":";

    @TempDir
    Path dir;

    private Cluster cluster;

    @RegisterExtension
    final TestExecutionExceptionHandler withNodeOutput = (context, failure) -> {
        if (failure instanceof TestAbortedException) {
            throw failure;
        }
        throw new AssertionError(failure.getMessage() + (this.cluster != null ? this.cluster.output() : ""), failure);
    };

    @BeforeEach
    void cluster() throws Exception {
        this.cluster = Cluster.create(this.dir, "--nodes.schedules=true");
        this.cluster
                .jdbc()
                .execute("CREATE TABLE nodes_slow_runs (id BIGSERIAL PRIMARY KEY, invocation_id VARCHAR(36) NOT NULL,"
                        + " node VARCHAR(64) NOT NULL, started_at TIMESTAMPTZ NOT NULL, ended_at TIMESTAMPTZ)");
    }

    @AfterEach
    void stop() {
        if (this.cluster != null) {
            this.cluster.close();
        }
    }

    @Test
    void eachTickRunsOnceAcrossThreeNodesAKilledNodesTickStillRunsAndSkipNeverOverlaps() throws Exception {
        JdbcTemplate jdbc = this.cluster.jdbc();
        List<JvmNodes.Node> nodes = new ArrayList<>();
        for (String name : List.of("node-a", "node-b", "node-c")) {
            nodes.add(this.cluster.start(name));
        }
        for (JvmNodes.Node node : nodes) {
            // longer than Cluster.STARTUP: the build shares this machine with others, and three JVMs start at once
            node.awaitOutput("READY " + node.name(), Duration.ofMinutes(3));
        }
        Instant from = now(jdbc).plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

        Cluster.await("a third of the window", WINDOW, () -> now(jdbc).isAfter(from.plus(WINDOW.dividedBy(3))));
        String[] held = new String[2];
        Cluster.await("a node running a tick", Duration.ofSeconds(20), () -> {
            List<String[]> running = jdbc.query(
                    "SELECT id, lease_owner FROM dispatch_invocation WHERE function_name = ? AND status = 'RUNNING'"
                            + " AND lease_owner IS NOT NULL",
                    (rs, n) -> new String[] {rs.getString(1), rs.getString(2)},
                    Ticks.TICK);
            if (running.isEmpty()) {
                return false;
            }
            held[0] = running.get(0)[0];
            held[1] = running.get(0)[1];
            return true;
        });
        JvmNodes.Node victim = nodes.stream()
                .filter(node -> node.name().equals(held[1]))
                .findFirst()
                .orElseThrow();
        victim.process().destroyForcibly().waitFor();
        Instant killedAt = now(jdbc);

        Cluster.await("the end of the window", WINDOW, () -> now(jdbc).isAfter(from.plus(WINDOW)));
        Instant to = from.plus(WINDOW);
        Cluster.await(
                "every tick of the window finished",
                Duration.ofSeconds(60),
                () -> ticks(jdbc, from, to).values().stream()
                                .filter("SUCCEEDED"::equals)
                                .count()
                        == WINDOW.toSeconds() + 1);

        Map<Long, String> ticks = ticks(jdbc, from, to);
        assertThat(ticks).hasSize((int) WINDOW.toSeconds() + 1);
        EffectLog effects = this.cluster.effects();
        for (long second = from.getEpochSecond(); second <= to.getEpochSecond(); second++) {
            assertThat(effects.count(EffectLog.DONE, Ticks.TICK, (int) second))
                    .as("the tick at %s ran to its end once", Instant.ofEpochSecond(second))
                    .isEqualTo(1);
        }
        assertThat(jdbc.queryForObject("SELECT status FROM dispatch_invocation WHERE id = ?", String.class, held[0]))
                .as("the tick the killed node held")
                .isEqualTo("SUCCEEDED");
        int killedTick = (int) tickOf(jdbc.queryForObject(
                        "SELECT idempotency_key FROM dispatch_invocation WHERE id = ?", String.class, held[0]))
                .getEpochSecond();
        assertThat(effects.byKey(EffectLog.DONE, Ticks.TICK).get(killedTick))
                .extracting(EffectLog.Entry::node)
                .as("finished by a node that lived")
                .doesNotContain(victim.name());

        assertNeverOverlapping(jdbc, victim.name(), killedAt);
    }

    /** The slow schedule's attempts one after the other: each starts after the previous one ended (or was killed). */
    private static void assertNeverOverlapping(JdbcTemplate jdbc, String victim, Instant killedAt) {
        List<Object[]> runs = jdbc.query(
                "SELECT invocation_id, node, started_at, ended_at FROM nodes_slow_runs ORDER BY started_at",
                (rs, n) -> new Object[] {
                    rs.getString(1),
                    rs.getString(2),
                    rs.getTimestamp(3).toInstant(),
                    rs.getTimestamp(4) != null ? rs.getTimestamp(4).toInstant() : null
                });
        assertThat(runs).as("slow runs").hasSizeGreaterThanOrEqualTo(8);
        List<String> overlaps = new ArrayList<>();
        for (int i = 1; i < runs.size(); i++) {
            Object[] previous = runs.get(i - 1);
            Instant ended =
                    (previous[3] != null) ? (Instant) previous[3] : previous[1].equals(victim) ? killedAt : Instant.MAX;
            if (((Instant) runs.get(i)[2]).isBefore(ended)) {
                overlaps.add(previous[0] + " on " + previous[1] + " and " + runs.get(i)[0] + " on " + runs.get(i)[1]);
            }
        }
        assertThat(overlaps).as("slow runs at the same time").isEmpty();
        Integer roots = jdbc.queryForObject(
                "SELECT COUNT(*) FROM dispatch_invocation WHERE function_name = ?", Integer.class, Ticks.SLOW);
        assertThat(roots)
                .as("SKIP left out the ticks that found a run unfinished")
                .isLessThan(runs.size() * 2);
    }

    /** The status of each tick's run in [from, to], by the tick's second. */
    private static Map<Long, String> ticks(JdbcTemplate jdbc, Instant from, Instant to) {
        Map<Long, String> ticks = new TreeMap<>();
        jdbc.query(
                "SELECT idempotency_key, status FROM dispatch_invocation WHERE function_name = ?",
                rs -> {
                    Instant tick = tickOf(rs.getString(1));
                    if (!tick.isBefore(from) && !tick.isAfter(to)) {
                        if (ticks.put(tick.getEpochSecond(), rs.getString(2)) != null) {
                            throw new AssertionError("Two runs of the tick " + tick);
                        }
                    }
                },
                Ticks.TICK);
        return ticks;
    }

    private static Instant tickOf(String key) {
        return Instant.parse(key.substring(PREFIX.length()));
    }

    private static Instant now(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT clock_timestamp()", Timestamp.class).toInstant();
    }
}
