package com.example.faults.stuck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import dev.dispatch.Status;
import dev.dispatch.engine.Scheduler;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Slow or stuck user code: a function that ignores interruption and never returns, past its timeout. What the engine
 * does today: the timeout interrupts the thread and nothing more. The attempt keeps its worker and its lease (the
 * heartbeat renews it, so no node takes it over) and stays RUNNING until the thread returns; only then is the attempt
 * counted as TIMEOUT and retried. Other calls run on the remaining workers; as many stuck attempts as workers stall
 * the node.
 */
@SpringBootTest(
        classes = StuckApplication.class,
        properties = {
            "dispatch.workers=4",
            "dispatch.lease-duration=2s",
            "dispatch.poll-interval=100ms",
            "dispatch.shutdown-grace-period=5s"
        })
class StuckCodeTests {

    private static final int WORKERS = 4;

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Stubborn stubborn;

    @Autowired
    Scheduler scheduler;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void reset() {
        this.stubborn.reset();
    }

    /** Lets stuck threads go whatever happened: the context's shutdown must not wait on them. */
    @AfterEach
    void release() {
        this.stubborn.release();
    }

    @Test
    void quickCallsCompleteWhileStuckAttemptsHoldOnlyTheirOwnWorkers() {
        List<DispatchId> stuck = List.of(
                this.dispatcher.dispatch(() -> this.stubborn.neverReturns(1)),
                this.dispatcher.dispatch(() -> this.stubborn.neverReturns(2)));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> this.stubborn.isStuckPastItsTimeout(1) && this.stubborn.isStuckPastItsTimeout(2));
        Lease leaseBefore = lease(stuck.get(0));

        List<DispatchId> quick = new ArrayList<>();
        for (int key = 0; key < 200; key++) {
            int k = key;
            quick.add(this.dispatcher.dispatch(() -> this.stubborn.quick(k)));
        }
        for (DispatchId id : quick) {
            assertThat(this.dispatcher
                            .awaitCompletion(id, Duration.ofSeconds(30))
                            .status())
                    .as("a quick call next to two stuck ones")
                    .isEqualTo(InvocationStatus.SUCCEEDED);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> this.scheduler.busyWorkers() == 2);

        // Past its timeout and past a whole lease, the stuck attempt is still RUNNING on its first attempt: the
        // timeout only interrupted it, and the heartbeat keeps renewing its lease, so no node takes it over.
        await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        for (DispatchId id : stuck) {
            InvocationInfo info = this.dispatcher.describe(id).orElseThrow();
            assertThat(info.status()).as("status of a stuck call").isEqualTo(InvocationStatus.RUNNING);
            assertThat(info.attempts()).as("attempts of a stuck call").isEqualTo(1);
        }
        Lease leaseAfter = lease(stuck.get(0));
        assertThat(leaseAfter.owner()).isEqualTo(this.scheduler.nodeId());
        assertThat(leaseAfter.expiresAt())
                .as("the lease of the stuck attempt is renewed")
                .isAfter(leaseBefore.expiresAt());
        assertThat(this.scheduler.busyWorkers())
                .as("workers held by the stuck attempts")
                .isEqualTo(2);

        this.stubborn.release();
        for (DispatchId id : stuck) {
            assertTimedOutThenSucceeded(id);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> this.scheduler.busyWorkers() == 0);
    }

    @Test
    void asManyStuckAttemptsAsWorkersStallEveryOtherCallUntilTheyReturn() {
        List<DispatchId> stuck = new ArrayList<>();
        for (int key = 10; key < 10 + WORKERS; key++) {
            int k = key;
            stuck.add(this.dispatcher.dispatch(() -> this.stubborn.neverReturns(k)));
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        stuck.stream().allMatch(id -> this.stubborn.isStuckPastItsTimeout(10 + stuck.indexOf(id))));

        DispatchId quick = this.dispatcher.dispatch(() -> this.stubborn.quick(-1));
        // A quick call normally takes milliseconds; with every worker stuck, it waits.
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
        InvocationInfo waiting = this.dispatcher.describe(quick).orElseThrow();
        assertThat(waiting.status())
                .as("a quick call while every worker is stuck")
                .isEqualTo(InvocationStatus.PENDING);
        assertThat(waiting.attempts()).isZero();
        assertThat(this.scheduler.busyWorkers()).isEqualTo(WORKERS);

        this.stubborn.release();
        assertThat(this.dispatcher
                        .awaitCompletion(quick, Duration.ofSeconds(30))
                        .status())
                .as("the quick call once the stuck attempts returned")
                .isEqualTo(InvocationStatus.SUCCEEDED);
        for (DispatchId id : stuck) {
            assertTimedOutThenSucceeded(id);
        }
    }

    /** Once the thread returns, the attempt counts as TIMEOUT (its timer fired) and the retry succeeds. */
    private void assertTimedOutThenSucceeded(DispatchId id) {
        InvocationInfo info = this.dispatcher.awaitCompletion(id, Duration.ofSeconds(30));
        assertThat(info.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(info.attempts())
                .as("attempts: the stuck one, then its retry")
                .isEqualTo(2);
        assertThat(info.errorStatus()).as("the stuck attempt counted as").isEqualTo(Status.TIMEOUT);
    }

    private Lease lease(DispatchId id) {
        return this.jdbc.queryForObject(
                "SELECT lease_owner, lease_expires_at FROM dispatch_invocation WHERE id = ?",
                (rs, n) -> new Lease(rs.getString(1), rs.getObject(2, OffsetDateTime.class)),
                id.value());
    }

    private record Lease(String owner, OffsetDateTime expiresAt) {}
}
