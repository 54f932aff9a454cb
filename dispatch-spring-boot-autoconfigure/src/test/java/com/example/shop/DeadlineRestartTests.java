package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.testdb.SharedDatabase;
import dev.dispatch.DeadlineExceededException;
import dev.dispatch.DispatchId;
import dev.dispatch.DispatchOptions;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import dev.dispatch.Status;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** A deadline is in the database: it holds when the node that recorded it stops and another one starts. */
class DeadlineRestartTests {

    SharedDatabase database;

    @BeforeEach
    void createDatabase() {
        this.database = SharedDatabase.create();
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void aDeadlineThatPassesWhileNoNodeRunsEndsTheTreeWhenOneStarts() throws InterruptedException {
        DispatchId id;
        Instant deadline;
        try (ConfigurableApplicationContext first = this.database.start(ShopApplication.class)) {
            Dispatcher dispatcher = first.getBean(Dispatcher.class);
            Surveys surveys = first.getBean(Surveys.class);
            id = dispatcher.dispatch(
                    () -> surveys.napThenAsk("restart", 30_000), DispatchOptions.deadline(Duration.ofSeconds(2)));
            awaitAsleep(first.getBean(JdbcTemplate.class), id);
            deadline = dispatcher.describe(id).orElseThrow().deadlineAt();
            assertThat(first.getBean(Ledger.class).runs("before-nap:restart")).isEqualTo(1);
        }
        while (Instant.now().isBefore(deadline.plusMillis(200))) {
            Thread.sleep(50); // no node runs while the deadline passes: real time must pass on the database's clock
        }

        try (ConfigurableApplicationContext second = this.database.start(ShopApplication.class)) {
            Dispatcher dispatcher = second.getBean(Dispatcher.class);
            InvocationInfo info = dispatcher.awaitCompletion(id, Duration.ofSeconds(20));

            assertThat(info.status()).isEqualTo(InvocationStatus.FAILED);
            assertThat(info.errorStatus()).isEqualTo(Status.TIMEOUT);
            assertThat(info.errorType()).isEqualTo(DeadlineExceededException.class.getName());
            assertThat(info.deadlineAt()).isEqualTo(deadline);
            assertThat(info.completedAt())
                    .as("ended for its deadline, long before its wake time")
                    .isBefore(info.createdAt().plusSeconds(30));
            Ledger ledger = second.getBean(Ledger.class);
            assertThat(ledger.runs("before-nap:restart")).as("never resumed").isZero();
            assertThat(ledger.runs("ask:restart:0")).isZero();
        }
    }

    @Test
    void aRunningTreeKeepsItsDeadlineAfterARestart() {
        DispatchId id;
        try (ConfigurableApplicationContext first =
                this.database.start(ShopApplication.class, "dispatch.shutdown-grace-period=100ms")) {
            Dispatcher dispatcher = first.getBean(Dispatcher.class);
            Surveys surveys = first.getBean(Surveys.class);
            id = dispatcher.dispatch(
                    () -> surveys.napThenAsk("running", 300), DispatchOptions.deadline(Duration.ofSeconds(4)));
            awaitStatus(
                    first.getBean(JdbcTemplate.class),
                    "SELECT COUNT(*) FROM dispatch_invocation"
                            + " WHERE root_id = ? AND function_name = 'surveys.ask' AND status = 'RUNNING'",
                    id);
        }

        try (ConfigurableApplicationContext second =
                this.database.start(ShopApplication.class, "dispatch.lease-duration=1s")) {
            InvocationInfo info = second.getBean(Dispatcher.class).awaitCompletion(id, Duration.ofSeconds(20));

            assertThat(info.status()).isEqualTo(InvocationStatus.FAILED);
            assertThat(info.errorStatus()).isEqualTo(Status.TIMEOUT);
            assertThat(info.completedAt()).isAfterOrEqualTo(info.deadlineAt());
            JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForList(
                            "SELECT status FROM dispatch_invocation WHERE root_id = ?", String.class, id.value()))
                    .as("the root and its call, whichever node ran them")
                    .hasSize(2)
                    .containsOnly("FAILED");
        }
    }

    private static void awaitAsleep(JdbcTemplate jdbc, DispatchId id) {
        awaitStatus(
                jdbc,
                "SELECT COUNT(*) FROM dispatch_invocation WHERE id = ? AND status = 'PENDING'"
                        + " AND awaiting_group_id IS NOT NULL",
                id);
    }

    private static void awaitStatus(JdbcTemplate jdbc, String countQuery, DispatchId id) {
        await(countQuery)
                .atMost(Duration.ofSeconds(20))
                .until(() -> jdbc.queryForObject(countQuery, Integer.class, id.value()) > 0);
    }
}
