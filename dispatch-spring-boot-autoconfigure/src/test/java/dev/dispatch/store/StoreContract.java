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
        NewInvocation row = child(child, function, parent, group, 0, now);
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
    void oneBatchOfEndsCountsEachStepItTouchesAndWakesTheCallersItDecides() {
        String function = "contract.steps." + UUID.randomUUID();
        List<String> parents = record(function, 3);
        Instant now = Instant.now();
        List<ClaimedInvocation> holds =
                this.tx.execute(status -> this.claims.claim(parents, "node-a", now, now.plusSeconds(30)));
        // parent 0 gathers 2 calls, parent 1 races 2, parent 2 gathers 3: each suspended on its step
        List<GroupKind> kinds = List.of(GroupKind.GATHER, GroupKind.RACE, GroupKind.GATHER);
        List<Integer> sizes = List.of(2, 2, 3);
        Map<String, String> stepOf = new java.util.HashMap<>();
        List<String> children = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            String parent = parents.get(p);
            ClaimedInvocation hold = holds.stream()
                    .filter(h -> h.id().equals(parent))
                    .findFirst()
                    .orElseThrow();
            String group = UUID.randomUUID().toString();
            List<NewInvocation> rows = new ArrayList<>();
            for (int c = 0; c < sizes.get(p); c++) {
                NewInvocation row = child(UUID.randomUUID().toString(), function, parent, group, c, now);
                rows.add(row);
                children.add(row.id());
                stepOf.put(row.id(), group);
            }
            NewGroup step = new NewGroup(group, parent, 0, kinds.get(p), sizes.get(p), "sig");
            Boolean suspended =
                    this.tx.execute(status -> this.store.recordStepAndSuspend(parent, hold.epoch(), step, rows, now));
            assertThat(suspended).isTrue();
            assertThat(this.store.findStatus(parent)).contains("SUSPENDED");
        }
        List<ClaimedInvocation> claimed =
                this.tx.execute(status -> this.claims.claim(children, "node-a", now, now.plusSeconds(30)));
        // one batch: both of parent 0's calls, the second of parent 1's failing (a race: it decides), two of parent 2's
        List<String> ending =
                List.of(children.get(0), children.get(1), children.get(3), children.get(4), children.get(5));
        List<Transition> ends = new ArrayList<>();
        for (String id : ending) {
            ClaimedInvocation call =
                    claimed.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
            boolean fails = id.equals(children.get(3));
            ends.add(new Transition(
                    call,
                    "node-a",
                    fails ? Transition.Kind.FAILED : Transition.Kind.SUCCEEDED,
                    fails ? null : "1",
                    fails
                            ? new ErrorRecord("java.lang.IllegalStateException", "broken", "PERMANENT_ERROR", null)
                            : null,
                    null));
        }

        List<InvocationStore.Outcome> outcomes = this.tx.execute(status -> this.store.recordAll(ends, now));

        assertThat(outcomes)
                .extracting(InvocationStore.Outcome::wokenParentId)
                .containsExactly(null, parents.get(0), parents.get(1), null, null);
        assertThat(this.store.findStatus(parents.get(0))).contains("PENDING");
        assertThat(this.store.findStatus(parents.get(1))).contains("PENDING");
        assertThat(this.store.findStatus(parents.get(2))).contains("SUSPENDED");
        CallGroup gather = this.store.findGroup(stepOf.get(children.get(0))).orElseThrow();
        assertThat(List.of(gather.getCompletedCount(), gather.getFailedCount())).containsExactly(2, 0);
        assertThat(gather.getDecidedAt()).isNotNull();
        CallGroup race = this.store.findGroup(stepOf.get(children.get(3))).orElseThrow();
        assertThat(List.of(race.getCompletedCount(), race.getFailedCount())).containsExactly(0, 1);
        assertThat(race.getFirstFailureId()).isEqualTo(children.get(3));
        assertThat(race.getWinnerId()).isEqualTo(children.get(3));
        assertThat(race.getDecidedAt()).isNotNull();
        CallGroup open = this.store.findGroup(stepOf.get(children.get(4))).orElseThrow();
        assertThat(List.of(open.getCompletedCount(), open.getFailedCount())).containsExactly(2, 0);
        assertThat(open.getDecidedAt()).isNull();
    }

    @Test
    void anInlineCallWrittenWithItsEndLeavesWhatItsInsertAndItsEndWouldLeave() {
        String function = "contract.inline." + UUID.randomUUID();
        String parent = record(function, 1).get(0);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ClaimedInvocation hold = this.tx
                .execute(status -> this.claims.claim(List.of(parent), "node-a", now, now.plusSeconds(30)))
                .get(0);
        int step = 0;
        for (Transition.Kind kind : List.of(Transition.Kind.SUCCEEDED, Transition.Kind.FAILED)) {
            List<Map<String, Object>> shapes = new ArrayList<>();
            for (boolean together : List.of(false, true)) {
                InlineCall call = inlineCall(function, parent, step++, kind, now);
                InvocationStore.Outcome outcome = this.tx.execute(status -> {
                    if (together) {
                        return this.store.recordWithCall(call.group(), call.row(), hold.epoch(), call.end(), now);
                    }
                    assertThat(this.store.insertCall(call.group(), call.row(), hold.epoch(), now))
                            .isTrue();
                    return this.store.record(call.end(), now);
                });
                assertThat(outcome).as(kind + ", together: " + together).isEqualTo(InvocationStore.Outcome.RECORDED);
                shapes.add(shape(call));
            }
            assertThat(shapes.get(1)).as(kind.name()).isEqualTo(shapes.get(0));
        }
        assertThat(this.store.findStatus(parent)).as("the caller still runs").contains("RUNNING");

        // a caller that lost its hold writes nothing of it
        InlineCall stale = inlineCall(function, parent, step, Transition.Kind.SUCCEEDED, now);
        InvocationStore.Outcome lost = this.tx.execute(
                status -> this.store.recordWithCall(stale.group(), stale.row(), hold.epoch() + 1, stale.end(), now));
        assertThat(lost.written()).isFalse();
        assertThat(this.store.findStatus(stale.row().id())).isEmpty();
        assertThat(this.store.findGroup(stale.group().id())).isEmpty();
    }

    private record InlineCall(NewGroup group, NewInvocation row, Transition end) {}

    private static InlineCall inlineCall(String function, String parent, int step, Transition.Kind kind, Instant now) {
        String group = UUID.randomUUID().toString();
        String child = UUID.randomUUID().toString();
        NewInvocation row = new NewInvocation(
                child,
                function,
                "[" + step + "]",
                3,
                now,
                "node-a",
                now.plusSeconds(30),
                parent,
                parent,
                step,
                group,
                0,
                null,
                "00-trace",
                null,
                0,
                step);
        ClaimedInvocation held = new ClaimedInvocation(
                child,
                function,
                row.arguments(),
                1,
                3,
                parent,
                parent,
                group,
                GroupKind.CALL,
                now,
                false,
                row.traceContext(),
                null,
                0,
                0,
                step);
        ErrorRecord error = (kind == Transition.Kind.FAILED)
                ? new ErrorRecord("java.lang.IllegalStateException", "broken", "PERMANENT_ERROR", "at here")
                : null;
        Transition end = new Transition(
                held, "node-a", kind, kind == Transition.Kind.SUCCEEDED ? "\"done\"" : null, error, null);
        return new InlineCall(new NewGroup(group, parent, step, GroupKind.CALL, 1, "sig"), row, end);
    }

    /** The call's row and its step's, without their ids and positions. */
    private Map<String, Object> shape(InlineCall call) {
        Map<String, Object> shape = new java.util.TreeMap<>(this.jdbc.queryForMap(
                "SELECT status, result, attempts, max_attempts, lease_owner, lease_expires_at, next_attempt_at,"
                        + " created_at, updated_at, completed_at, error_type, error_message, error_status,"
                        + " error_stack, awaiting_group_id, trace_context, version FROM dispatch_invocation"
                        + " WHERE id = ?",
                call.row().id()));
        Map<String, Object> group = this.jdbc.queryForMap(
                "SELECT kind, size, completed_count, failed_count, first_failure_id, winner_id, decided_at,"
                        + " created_at, version FROM dispatch_call_group WHERE id = ?",
                call.group().id());
        group.put("first_failure_id", call.row().id().equals(group.get("first_failure_id")) ? "the call" : null);
        group.forEach((column, value) -> shape.put("step." + column.toLowerCase(java.util.Locale.ROOT), value));
        shape.replaceAll((column, value) -> value == null ? "null" : value.toString());
        return shape;
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

    /** A pending call at this position of its caller's first step, due a second before {@code now}. */
    private static NewInvocation child(
            String id, String function, String parent, String group, int position, Instant now) {
        return new NewInvocation(
                id,
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
                position,
                null,
                null,
                null,
                0,
                position);
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
