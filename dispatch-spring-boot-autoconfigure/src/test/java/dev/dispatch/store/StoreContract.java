package dev.dispatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.testdb.SharedDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the engine relies on from the store, whatever the database: one subclass per database runs it. Claims made at
 * the same moment by several nodes never take an invocation twice, a write by a node that lost its lease changes
 * nothing, a keyed call raced by several callers is recorded once, the database's clock and the times written agree,
 * claims of a limited function never pass its limit, and nodes hear of new work where the database can tell them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContract {

    private static final int NODES = 4;

    private SharedDatabase database;

    private ConfigurableApplicationContext context;

    private ExecutorService nodes;

    DataSource dataSource;

    DatabaseType type;

    InvocationStore store;

    Claims claims;

    JdbcTemplate jdbc;

    TransactionTemplate tx;

    /** A fresh database of this subclass's kind. */
    abstract SharedDatabase database();

    /** Whether another node's new work reaches this node as a signal (otherwise its poll finds it). */
    abstract boolean signalsNewWork();

    /** How many nodes claim at once: H2 is one process, whose one scheduler thread makes every claim. */
    int claimers() {
        return NODES;
    }

    @BeforeAll
    void start() {
        this.database = database();
        // no functions: the engine of this context claims nothing the tests record
        this.context = this.database.start(StoreApplication.class);
        this.dataSource = this.context.getBean(DataSource.class);
        this.type = this.context.getBean(DatabaseType.class);
        this.store = this.context.getBean(InvocationStore.class);
        this.claims = this.context.getBean(Claims.class);
        this.jdbc = new JdbcTemplate(this.dataSource);
        this.tx = new TransactionTemplate(new JdbcTransactionManager(this.dataSource));
        this.tx.setIsolationLevel(this.type.isolationLevel());
        this.nodes = Executors.newFixedThreadPool(NODES);
    }

    @AfterAll
    void stop() {
        if (this.nodes != null) {
            this.nodes.shutdownNow();
        }
        if (this.context != null) {
            this.context.close();
        }
        if (this.database != null) {
            this.database.close();
        }
    }

    @RepeatedTest(3)
    void concurrentClaimsOfDueWorkNeverTakeAnInvocationTwice() throws Exception {
        String function = "contract.due." + UUID.randomUUID();
        List<String> ids = record(function, 120);
        List<List<String>> taken = onEveryNode(node -> {
            List<String> mine = new ArrayList<>();
            List<ClaimedInvocation> claimed;
            do {
                Instant now = Instant.now();
                claimed = this.tx.execute(
                        status -> this.claims.claimDue(now, List.of(function), 7, node, now.plusSeconds(60)));
                claimed.forEach(invocation -> mine.add(invocation.id()));
            } while (!claimed.isEmpty());
            return mine;
        });
        assertTakenOnce(taken, ids);
    }

    @RepeatedTest(3)
    void concurrentClaimsByIdTakeEachInvocationOnce() throws Exception {
        List<String> ids = record("contract.ids." + UUID.randomUUID(), 60);
        List<List<String>> taken = onEveryNode(node -> {
            Instant now = Instant.now();
            return this.tx.execute(status -> this.claims.claim(ids, node, now, now.plusSeconds(60))).stream()
                    .map(ClaimedInvocation::id)
                    .toList();
        });
        assertTakenOnce(taken, ids);
    }

    @Test
    void aWriteByANodeThatLostItsLeaseChangesNothing() {
        String id = record("contract.fence." + UUID.randomUUID(), 1).get(0);
        Instant now = Instant.now();
        ClaimedInvocation claimed = this.tx
                .execute(status -> this.claims.claim(List.of(id), "node-a", now, now.plusSeconds(30)))
                .get(0);
        Instant later = now.plusSeconds(60); // node-a's lease has expired: node-b takes the call over
        Boolean takenOver =
                this.tx.execute(status -> this.claims.takeOverExpired(claimed, "node-b", later, later.plusSeconds(30)));
        assertThat(takenOver).isTrue();

        InvocationStore.Outcome stale = this.tx.execute(status -> this.store.record(
                new Transition(claimed, "node-a", Transition.Kind.SUCCEEDED, "\"a\"", null, null), later));
        assertThat(stale.written()).as("node-a's late success").isFalse();
        InvocationStore.Outcome current = this.tx.execute(status -> this.store.record(
                new Transition(
                        claimed.withEpoch(claimed.epoch() + 1),
                        "node-b",
                        Transition.Kind.SUCCEEDED,
                        "\"b\"",
                        null,
                        null),
                later));
        assertThat(current.written()).as("node-b's success").isTrue();
        assertThat(this.jdbc.queryForMap("SELECT status, result FROM dispatch_invocation WHERE id = ?", id))
                .containsEntry("status", "SUCCEEDED")
                .containsEntry("result", "\"b\"");
    }

    @RepeatedTest(3)
    void aKeyedCallRacedByManyCallersIsRecordedOnce() throws Exception {
        String key = "contract-key-" + UUID.randomUUID();
        List<List<String>> returned = onEveryNode(node -> {
            String id = UUID.randomUUID().toString();
            String recorded = this.tx.execute(
                    status -> this.store.insertIdempotent(pending(id, "contract.key", key), Instant.now()));
            return List.of(recorded);
        });
        Set<String> ids = new HashSet<>();
        returned.forEach(ids::addAll);
        assertThat(ids).as("ids the callers got back").hasSize(1);
        assertThat(this.jdbc.queryForObject(
                        "SELECT COUNT(*) FROM dispatch_invocation WHERE idempotency_key = ?", Integer.class, key))
                .isOne();
        assertThat(this.jdbc.queryForObject(
                        "SELECT id FROM dispatch_invocation WHERE idempotency_key = ?", String.class, key))
                .isEqualTo(ids.iterator().next());
    }

    @Test
    void theDatabaseClockAgreesWithTheTimesTheStoreWrites() {
        Instant local = Instant.now();
        Instant database = this.claims.databaseNow();
        assertThat(Duration.between(local, database).abs())
                .as("database clock %s against this machine's %s", database, local)
                .isLessThan(Duration.ofSeconds(5));

        // a call due at a time the database clock gives is due then, and not a microsecond before
        Instant due = database.plusSeconds(30).truncatedTo(ChronoUnit.MICROS);
        String id = UUID.randomUUID().toString();
        this.tx.executeWithoutResult(
                status -> this.store.insertInvocations(List.of(pending(id, "contract.clock", null, due)), database));
        List<ClaimedInvocation> early = this.tx.execute(
                status -> this.claims.claim(List.of(id), "node-a", due.minusNanos(1000), due.plusSeconds(30)));
        assertThat(early).as("claimed a microsecond early").isEmpty();
        List<ClaimedInvocation> onTime =
                this.tx.execute(status -> this.claims.claim(List.of(id), "node-a", due, due.plusSeconds(30)));
        assertThat(onTime).extracting(ClaimedInvocation::id).containsExactly(id);
        assertThat(this.store.find(id).orElseThrow().getNextAttemptAt())
                .as("read back through JPA")
                .isEqualTo(due);
    }

    @RepeatedTest(3)
    void claimsOfALimitedFunctionOnSeveralNodesNeverPassItsLimit() throws Exception {
        String function = "contract.limited." + UUID.randomUUID();
        record(function, 40);
        Map<String, FunctionLimit> limits = Map.of(function, new FunctionLimit(5, 0));
        onNodes(claimers(), node -> {
            for (int round = 0; round < 5; round++) {
                Instant now = Instant.now();
                this.tx.execute(
                        status -> this.claims.claimDue(now, List.of(function), 3, node, now.plusSeconds(60), limits));
            }
            return List.of();
        });
        assertThat(this.jdbc.queryForObject(
                        "SELECT COUNT(*) FROM dispatch_invocation WHERE function_name = ? AND status = 'RUNNING'",
                        Integer.class,
                        function))
                .isEqualTo(5);
    }

    @Test
    void newWorkRecordedByOneNodeWakesTheOthersWhereTheDatabaseCanTell() throws Exception {
        ReadySignals signals = this.type.readySignals(this.dataSource);
        if (!signalsNewWork()) {
            assertThat(signals).as("no signals: the poll finds new work").isSameAs(ReadySignals.NONE);
            return;
        }
        CountDownLatch woken = new CountDownLatch(1);
        signals.start(woken::countDown);
        try {
            // the listener connects on its own thread: record until a signal comes, as long as it may take to listen
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!woken.await(200, TimeUnit.MILLISECONDS)) {
                assertThat(System.nanoTime() - deadline)
                        .as("a signal within 20 s")
                        .isNegative();
                record("contract.wake." + UUID.randomUUID(), 1);
            }
        } finally {
            signals.stop();
        }
    }

    // ---------------------------------------------------------------- support

    @Test
    void theFirstToFinishIsFoundByWhenItEndedNotByItsPosition() {
        List<String> ids = record("contract.order." + UUID.randomUUID(), 3);
        Instant now = Instant.now();
        List<ClaimedInvocation> claimed =
                this.tx.execute(status -> this.claims.claim(ids, "node-a", now, now.plusSeconds(30)));
        // the last listed ends first (a failure), then the first (a success), then the second (a success)
        end(claimed, ids.get(2), Transition.Kind.FAILED, now.plusSeconds(1));
        end(claimed, ids.get(0), Transition.Kind.SUCCEEDED, now.plusSeconds(2));
        end(claimed, ids.get(1), Transition.Kind.SUCCEEDED, now.plusSeconds(3));

        assertThat(this.store.firstFinished(ids, false))
                .as("race: the first to end")
                .contains(ids.get(2));
        assertThat(this.store.firstFinished(ids, true))
                .as("any: the first to succeed")
                .contains(ids.get(0));
        assertThat(this.store.firstFinished(List.of(ids.get(1), ids.get(0)), true))
                .contains(ids.get(0));
    }

    /**
     * A claim that raced the commit of the step that recorded the call can read the call without its step (H2 read it
     * so once: the join found no group row), so the call's hold says nothing about its caller waiting. Its end must
     * still be counted in the step and wake the caller, or the caller stays suspended for good (a sample run lost 14
     * of a gatherSettled's 40 calls this way).
     */
    @Test
    void theEndOfACallClaimedWithoutItsStepIsStillCountedAndWakesTheCaller() {
        String function = "contract.step." + UUID.randomUUID();
        String parent = record(function, 1).get(0);
        Instant now = Instant.now();
        ClaimedInvocation parentHold = this.tx
                .execute(status -> this.claims.claim(List.of(parent), "node-a", now, now.plusSeconds(30)))
                .get(0);
        String group = UUID.randomUUID().toString();
        String child = UUID.randomUUID().toString();
        NewInvocation row = new NewInvocation(
                child,
                function,
                "[]",
                3,
                now.minusSeconds(1),
                null,
                null,
                parent,
                parent,
                0,
                group,
                0,
                null,
                null,
                null,
                0,
                0);
        Boolean recorded = this.tx.execute(status -> this.store.recordStep(
                parent,
                parentHold.epoch(),
                new NewGroup(group, parent, 0, GroupKind.GATHER, 1, "sig"),
                List.of(row),
                now));
        assertThat(recorded).isTrue();
        InvocationStore.SuspendOutcome suspended =
                this.tx.execute(status -> this.store.suspend(parent, parentHold.epoch(), group, now));
        assertThat(suspended).isEqualTo(InvocationStore.SuspendOutcome.SUSPENDED);
        ClaimedInvocation claimed = this.tx
                .execute(status -> this.claims.claim(List.of(child), "node-a", now, now.plusSeconds(30)))
                .get(0);
        assertThat(claimed.groupKind()).isEqualTo(GroupKind.GATHER);
        // the hold as the racing claim read it: the step's id from the call's row, no step row joined
        ClaimedInvocation withoutStep = new ClaimedInvocation(
                claimed.id(),
                claimed.function(),
                claimed.arguments(),
                claimed.attempt(),
                claimed.maxAttempts(),
                claimed.parentId(),
                claimed.rootId(),
                claimed.groupId(),
                null,
                claimed.createdAt(),
                claimed.resumed(),
                claimed.traceContext(),
                claimed.deadlineAt(),
                claimed.epoch(),
                claimed.priority(),
                claimed.turn());

        InvocationStore.Outcome outcome = this.tx.execute(status -> this.store.record(
                new Transition(withoutStep, "node-a", Transition.Kind.SUCCEEDED, "1", null, null), now.plusSeconds(1)));

        assertThat(outcome.written()).isTrue();
        assertThat(outcome.wokenParentId()).as("the caller woken").isEqualTo(parent);
        assertThat(this.jdbc.queryForObject(
                        "SELECT completed_count FROM dispatch_call_group WHERE id = ?", Integer.class, group))
                .isEqualTo(1);
        assertThat(this.store.findStatus(parent)).contains("PENDING");
    }

    @Test
    void callsStartedTogetherCountAnAttemptEachAndAStaleHoldStartsNothing() {
        List<String> ids = record("contract.start." + UUID.randomUUID(), 3);
        Instant now = Instant.now();
        List<ClaimedInvocation> claimed =
                new ArrayList<>(this.tx.execute(status -> this.claims.claim(ids, "node-a", now, now.plusSeconds(30))));
        claimed.sort(java.util.Comparator.comparingInt(c -> ids.indexOf(c.id())));
        // the second was taken over meanwhile: its row moved on to a newer hold
        this.jdbc.update("UPDATE dispatch_invocation SET version = version + 1 WHERE id = ?", ids.get(1));

        List<Boolean> started = this.tx.execute(status -> this.claims.startAll(claimed, now));

        assertThat(started).containsExactly(true, false, true);
        assertThat(this.jdbc.queryForList(
                        "SELECT attempts FROM dispatch_invocation WHERE id IN (?, ?, ?) ORDER BY id",
                        Integer.class,
                        ids.get(0),
                        ids.get(1),
                        ids.get(2)))
                .containsExactlyInAnyOrder(1, 1, 0);
        assertThat(this.jdbc.queryForObject(
                        "SELECT attempts FROM dispatch_invocation WHERE id = ?", Integer.class, ids.get(1)))
                .isZero();
    }

    private void end(List<ClaimedInvocation> claimed, String id, Transition.Kind kind, Instant at) {
        ClaimedInvocation call =
                claimed.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
        ErrorRecord error = (kind == Transition.Kind.FAILED)
                ? new ErrorRecord("java.lang.IllegalStateException", "broken", "PERMANENT_ERROR", null)
                : null;
        String result = (kind == Transition.Kind.SUCCEEDED) ? "\"" + id + "\"" : null;
        InvocationStore.Outcome outcome = this.tx.execute(
                status -> this.store.record(new Transition(call, "node-a", kind, result, error, null), at));
        assertThat(outcome.written()).as("the end of " + id).isTrue();
    }

    @Test
    void housekeepingFindsTheTopsOfTreesPastTheirDeadlineEarliestFirst() {
        List<String> ids = record("contract.deadline." + UUID.randomUUID(), 6);
        // asked as of an hour from now: the context's own housekeeping must not end these trees first
        Instant now = Instant.now().plus(Duration.ofHours(1));
        String later = ids.get(0);
        String earlier = ids.get(1);
        String notYet = ids.get(2);
        String finished = ids.get(3);
        String childOfLater = ids.get(4);
        // ids.get(5) has no deadline
        deadline(later, now.minusSeconds(5));
        deadline(earlier, now.minusSeconds(50));
        deadline(notYet, now.plusSeconds(60));
        deadline(finished, now.minusSeconds(5));
        deadline(childOfLater, now.minusSeconds(5));
        this.jdbc.update("UPDATE dispatch_invocation SET status = 'SUCCEEDED' WHERE id = ?", finished);
        this.jdbc.update("UPDATE dispatch_invocation SET parent_id = ? WHERE id = ?", later, childOfLater);

        assertThat(this.store.trees().findPastDeadline(now, 1000))
                .filteredOn(ids::contains)
                .containsExactly(earlier, later);
    }

    private void deadline(String id, Instant deadline) {
        this.jdbc.update(
                "UPDATE dispatch_invocation SET deadline_at = ? WHERE id = ?", JdbcInvocationStore.time(deadline), id);
    }

    private List<String> record(String function, int calls) {
        List<NewInvocation> rows = new ArrayList<>();
        Instant now = Instant.now().minusSeconds(1);
        for (int i = 0; i < calls; i++) {
            rows.add(pending(UUID.randomUUID().toString(), function, null, now));
        }
        this.tx.executeWithoutResult(status -> this.store.insertInvocations(rows, now));
        return rows.stream().map(NewInvocation::id).toList();
    }

    private static NewInvocation pending(String id, String function, String key) {
        return pending(id, function, key, Instant.now().minusSeconds(1));
    }

    private static NewInvocation pending(String id, String function, String key, Instant due) {
        return new NewInvocation(id, function, "[]", 3, due, null, null, null, id, null, null, null, key, null, null);
    }

    /** Runs {@code work} on every node at once, each given its node id, and returns what each returned. */
    private List<List<String>> onEveryNode(NodeWork work) throws Exception {
        return onNodes(NODES, work);
    }

    private List<List<String>> onNodes(int count, NodeWork work) throws Exception {
        CyclicBarrier start = new CyclicBarrier(count);
        List<Future<List<String>>> futures = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            String node = "node-" + n;
            Callable<List<String>> call = () -> {
                start.await(10, TimeUnit.SECONDS);
                return work.run(node);
            };
            futures.add(this.nodes.submit(call));
        }
        List<List<String>> results = new ArrayList<>();
        for (Future<List<String>> future : futures) {
            results.add(future.get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    private static void assertTakenOnce(List<List<String>> taken, List<String> ids) {
        List<String> all = new ArrayList<>();
        taken.forEach(all::addAll);
        assertThat(all).as("claimed by any node").doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
    }

    @FunctionalInterface
    interface NodeWork {
        List<String> run(String node) throws Exception;
    }

    /** An application without functions: its engine claims nothing. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class StoreApplication {}
}
