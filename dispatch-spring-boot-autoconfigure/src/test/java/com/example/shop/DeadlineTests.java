package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import dev.dispatch.CallFailedException;
import dev.dispatch.DeadlineExceededException;
import dev.dispatch.DispatchId;
import dev.dispatch.DispatchOptions;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import dev.dispatch.Status;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

@SpringBootTest
class DeadlineTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Surveys surveys;

    @Autowired
    Ledger ledger;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void reset() {
        this.ledger.reset();
    }

    @Test
    void aDeadlineEndsTheRootAndEveryUnfinishedCallOfItsTree() {
        String key = UUID.randomUUID().toString();
        int size = 20;

        DispatchId root = this.dispatcher.dispatch(
                () -> this.surveys.survey(key, size), DispatchOptions.deadline(Duration.ofMillis(1500)));
        InvocationInfo info = this.dispatcher.awaitCompletion(root, Duration.ofSeconds(20));

        assertThat(info.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(info.errorStatus()).isEqualTo(Status.TIMEOUT);
        assertThat(info.errorType()).isEqualTo(DeadlineExceededException.class.getName());
        assertThat(info.deadlineAt()).isEqualTo(info.createdAt().plusMillis(1500));
        assertThat(info.errorMessage())
                .contains("surveys.survey")
                .contains(info.deadlineAt().toString());
        assertThat(info.completedAt())
                .as("ended at its deadline, give or take a poll")
                .isBetween(info.deadlineAt(), info.deadlineAt().plusSeconds(5));
        assertThat(this.dispatcher.<List<String>>result(root)).isEmpty();

        List<Map<String, Object>> children = this.jdbc.queryForList(
                "SELECT group_position, status, error_status, attempts, deadline_at FROM dispatch_invocation"
                        + " WHERE parent_id = ? ORDER BY group_position",
                root.value());
        assertThat(children).hasSize(size);
        int started = 0;
        for (Map<String, Object> child : children) {
            String question = key + ":" + child.get("group_position");
            assertThat(child.get("status")).as("every unfinished call ends").isEqualTo("FAILED");
            assertThat(child.get("error_status")).isEqualTo("TIMEOUT");
            assertThat(instant(child.get("deadline_at")))
                    .as("a call inherits its root's deadline")
                    .isEqualTo(info.deadlineAt());
            int runs = this.ledger.runs("ask:" + question);
            assertThat(runs).as("nothing is retried").isLessThanOrEqualTo(1);
            if (((Number) child.get("attempts")).intValue() == 0) {
                assertThat(runs).as("a pending call never starts").isZero();
            }
            started += runs;
        }
        assertThat(started)
                .as("eight workers: some calls ran, the others waited")
                .isBetween(1, size - 1);
        awaitInterrupted(key, children.size());
    }

    @Test
    void aRetryDueAfterTheDeadlineDoesNotHappen() {
        String key = UUID.randomUUID().toString();
        this.ledger.failNext("flaky:" + key, 1);

        DispatchId id = this.dispatcher.dispatch(
                () -> this.surveys.flaky(key), DispatchOptions.deadline(Duration.ofMillis(800)));
        InvocationInfo info = this.dispatcher.awaitCompletion(id, Duration.ofSeconds(20));

        assertThat(info.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(info.errorStatus()).isEqualTo(Status.TIMEOUT);
        assertThat(info.attempts()).isEqualTo(1);
        assertThat(info.completedAt())
                .as("ended at the deadline, before the retry was due (4 s after the failure)")
                .isBefore(info.createdAt().plusSeconds(4));
        assertThat(this.ledger.runs("flaky:" + key)).isEqualTo(1);
    }

    @Test
    void aFunctionsDeadlineEndsADirectCallWhichFailsWithTimeout() {
        String key = UUID.randomUUID().toString();

        assertThatExceptionOfType(CallFailedException.class)
                .isThrownBy(() -> this.surveys.hurried(key))
                .satisfies(failure -> {
                    assertThat(failure.status()).isEqualTo(Status.TIMEOUT);
                    assertThat(failure.errorType()).isEqualTo(DeadlineExceededException.class.getName());
                    assertThat(failure.errorMessage()).contains("surveys.hurried");
                });
        assertThat(Thread.currentThread().isInterrupted())
                .as("the interrupt was meant for the attempt, not for the caller's thread")
                .isFalse();
        assertThat(this.ledger.runs("interrupted:" + key)).isEqualTo(1);
        assertThat(this.ledger.runs("hurried:" + key)).as("not retried").isEqualTo(1);
    }

    @Test
    void aSleepingFunctionEndsAtItsDeadlineNotAtItsWakeTime() {
        String key = UUID.randomUUID().toString();

        DispatchId id = this.dispatcher.dispatch(
                () -> this.surveys.napThenAsk(key, 60_000), DispatchOptions.deadline(Duration.ofMillis(700)));
        InvocationInfo info = this.dispatcher.awaitCompletion(id, Duration.ofSeconds(20));

        assertThat(info.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(info.errorStatus()).isEqualTo(Status.TIMEOUT);
        assertThat(info.completedAt())
                .as("a sleep does not outlast the deadline")
                .isBefore(info.createdAt().plusSeconds(10));
        assertThat(this.ledger.runs("ask:" + key + ":0")).isZero();
    }

    private void awaitInterrupted(String key, int size) {
        await("every running call interrupted").atMost(Duration.ofSeconds(10)).until(() -> {
            int started = 0;
            int interrupted = 0;
            for (int i = 0; i < size; i++) {
                started += this.ledger.runs("ask:" + key + ":" + i);
                interrupted += this.ledger.runs("interrupted:" + key + ":" + i);
            }
            return started == interrupted;
        });
    }

    private static java.time.Instant instant(Object value) {
        return (value instanceof OffsetDateTime offset) ? offset.toInstant() : ((java.sql.Timestamp) value).toInstant();
    }
}
