package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import dev.dispatch.DispatchId;
import dev.dispatch.DispatchOptions;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import dev.dispatch.engine.Scheduler;
import dev.dispatch.store.CallGroup;
import dev.dispatch.store.GroupKind;
import dev.dispatch.store.InvocationStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

@SpringBootTest
class TimersTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Timers timers;

    @Autowired
    Calculator calculator;

    @Autowired
    Ledger ledger;

    @Autowired
    Scheduler scheduler;

    @Autowired
    InvocationStore store;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void reset() {
        this.ledger.reset();
    }

    @Test
    void aSleepingFunctionHoldsNoThread() throws InterruptedException {
        List<DispatchId> sleepers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String key = "long-nap" + i;
            sleepers.add(this.dispatcher.dispatch(
                    () -> this.timers.napThenAdd(key, Duration.ofMinutes(10).toMillis())));
        }
        awaitSleeping(sleepers);

        // the last sleeper's worker is freed just after its sleep is recorded: wait for that, not for a fixed time
        await("twenty sleepers, eight workers, none busy")
                .atMost(Duration.ofSeconds(5))
                .until(this.scheduler::busyWorkers, busy -> busy == 0);
        CallGroup sleep = this.store.findGroups(sleepers.get(0).value()).get(0);
        assertThat(sleep.getKind()).isEqualTo(GroupKind.SLEEP);
        assertThat(sleep.getDecidedAt())
                .as("the wake time, as the actuator shows it")
                .isAfterOrEqualTo(sleep.getCreatedAt().plus(Duration.ofMinutes(10)));
        sleepers.forEach(this.dispatcher::cancel);
    }

    @Test
    void aDurableSleepResumesAfterItsTime() {
        List<DispatchId> sleepers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String key = "nap" + i;
            sleepers.add(this.dispatcher.dispatch(() -> this.timers.napThenAdd(key, 1000)));
        }
        for (DispatchId id : sleepers) {
            InvocationInfo info = this.dispatcher.awaitCompletion(id, Duration.ofSeconds(30));
            assertThat(info.status()).isEqualTo(InvocationStatus.SUCCEEDED);
            assertThat(info.attempts()).as("a resume is not an attempt").isEqualTo(1);
            assertThat(Duration.between(info.createdAt(), info.completedAt()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1000));
        }
        assertThat(this.ledger.runs("before-nap:nap0"))
                .as("code before the sleep runs again on resume")
                .isEqualTo(2);
        assertThat(this.ledger.runs("add:4+1"))
                .as("the durable call after it runs once per sleeper")
                .isEqualTo(3);
    }

    @Test
    void sleepOutsideADurableFunctionIsRefused() {
        assertThatIllegalStateException()
                .isThrownBy(() -> this.dispatcher.sleep(Duration.ofMillis(1)))
                .withMessageContaining("inside a @DispatchFunction");
    }

    @Test
    void aDelayedDispatchDoesNotRunBeforeItsTime() {
        DispatchId id = this.dispatcher.dispatch(
                () -> this.calculator.add(123, 1), DispatchOptions.delay(Duration.ofMillis(1500)));

        InvocationInfo recorded = this.dispatcher.describe(id).orElseThrow();
        assertThat(recorded.status()).isEqualTo(InvocationStatus.PENDING);
        assertThat(this.jdbc.queryForObject(
                        "SELECT next_attempt_at FROM dispatch_invocation WHERE id = ?",
                        java.time.OffsetDateTime.class,
                        id.value()))
                .isAfterOrEqualTo(recorded.createdAt().plusMillis(1500).atOffset(java.time.ZoneOffset.UTC));

        InvocationInfo info = this.dispatcher.awaitCompletion(id, Duration.ofSeconds(20));
        assertThat(info.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(info.completedAt()).isAfterOrEqualTo(recorded.createdAt().plusMillis(1500));
        assertThat(this.ledger.runs("add:123+1")).isEqualTo(1);
    }

    @Test
    void aKeyedDispatchHappensOnceWhoeverDispatchesIt() {
        String key = "order-" + UUID.randomUUID();

        DispatchId first =
                this.dispatcher.dispatch(() -> this.calculator.add(7, 7), DispatchOptions.idempotencyKey(key));
        DispatchId second =
                this.dispatcher.dispatch(() -> this.calculator.add(7, 7), DispatchOptions.idempotencyKey(key));
        String fromParentA = this.timers.dispatchKeyed(key);
        String fromParentB = this.timers.dispatchKeyed(key);

        assertThat(second).isEqualTo(first);
        assertThat(fromParentA).isEqualTo(first.value());
        assertThat(fromParentB).isEqualTo(first.value());
        assertThat(this.jdbc.queryForObject(
                        "SELECT COUNT(*) FROM dispatch_invocation WHERE idempotency_key = ?", Integer.class, key))
                .isEqualTo(1);
        assertThat(this.dispatcher
                        .awaitCompletion(first, Duration.ofSeconds(10))
                        .status())
                .isEqualTo(InvocationStatus.SUCCEEDED);
    }

    @Test
    void concurrentKeyedDispatchesRecordOneCall() throws Exception {
        String key = "race-" + UUID.randomUUID();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<DispatchId>> ids = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                ids.add(threads.submit(() -> this.dispatcher.dispatch(
                        () -> this.calculator.add(1, 1), DispatchOptions.idempotencyKey(key))));
            }
            Set<DispatchId> distinct = ConcurrentHashMap.newKeySet();
            for (Future<DispatchId> id : ids) {
                distinct.add(id.get());
            }
            assertThat(distinct).hasSize(1);
        } finally {
            threads.shutdownNow();
        }
    }

    private void awaitSleeping(List<DispatchId> ids) {
        await("all asleep")
                .atMost(Duration.ofSeconds(60))
                .until(() -> ids.stream()
                        .allMatch(id -> this.jdbc.queryForObject(
                                        "SELECT COUNT(*) FROM dispatch_invocation WHERE id = ? AND status = 'PENDING'"
                                                + " AND awaiting_group_id IS NOT NULL",
                                        Integer.class,
                                        id.value())
                                == 1));
    }
}
