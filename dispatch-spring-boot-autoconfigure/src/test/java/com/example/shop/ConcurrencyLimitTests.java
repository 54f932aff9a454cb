package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.Batch;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

@SpringBootTest
class ConcurrencyLimitTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Throttling throttling;

    @Autowired
    Calculator calculator;

    @Autowired
    JdbcTemplate jdbc;

    @RepeatedTest(3)
    void aLimitedFunctionNeverRunsMoreThanItsLimitAtOnce() {
        String group = UUID.randomUUID().toString();
        Batch batch = this.dispatcher.batch();
        for (int i = 0; i < 16; i++) {
            int index = i;
            batch.add(() -> this.throttling.limited(group, index));
        }

        List<DispatchId> ids = batch.dispatch();

        for (DispatchId id : ids) {
            assertThat(this.dispatcher
                            .awaitCompletion(id, Duration.ofSeconds(30))
                            .status())
                    .isEqualTo(InvocationStatus.SUCCEEDED);
        }
        assertThat(Throttling.mostRunning(group))
                .as("eight workers, sixteen calls, a limit of two")
                .isEqualTo(2);
    }

    @Test
    void aGatherAndDirectCallsOfALimitedFunctionKeepToItsLimit() {
        String group = UUID.randomUUID().toString();

        DispatchId fanOut = this.dispatcher.dispatch(() -> this.throttling.fanOut(group, 10));
        DispatchId chain = this.dispatcher.dispatch(() -> this.throttling.chain(group, 5));

        assertThat(this.dispatcher
                        .awaitCompletion(fanOut, Duration.ofSeconds(30))
                        .status())
                .isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher
                        .awaitCompletion(chain, Duration.ofSeconds(30))
                        .status())
                .isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.<Integer>result(chain)).contains(10);
        assertThat(Throttling.mostRunning(group)).isEqualTo(2);
        assertThat(this.jdbc.queryForObject(
                        "SELECT COUNT(*) FROM dispatch_invocation WHERE parent_id = ? AND attempts = 1",
                        Integer.class,
                        chain.value()))
                .as("direct calls wait for a slot as pending calls; each runs once")
                .isEqualTo(5);
    }

    @Test
    void aCallerWaitingForItsCallHoldsNoSlot() {
        assertThat(this.throttling.nested(3))
                .as("a limit of one, and each call waits for a call of the same function")
                .isEqualTo(3);
    }

    @Test
    void callsOfOtherFunctionsDoNotWaitBehindALimitedBacklog() {
        String group = UUID.randomUUID().toString();
        Batch batch = this.dispatcher.batch();
        for (int i = 0; i < 40; i++) {
            int index = i;
            batch.add(() -> this.throttling.limited(group, index));
        }
        List<DispatchId> backlog = batch.dispatch();

        long started = System.nanoTime();
        DispatchId other = this.dispatcher.dispatch(() -> this.calculator.add(20, 22));
        InvocationInfo info = this.dispatcher.awaitCompletion(other, Duration.ofSeconds(10));

        assertThat(info.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("not behind two seconds of limited calls")
                .isLessThan(Duration.ofMillis(1500));
        assertThat(this.jdbc.queryForObject(
                        "SELECT COUNT(*) FROM dispatch_invocation WHERE function_name = 'throttling.limited'"
                                + " AND status = 'PENDING'",
                        Integer.class))
                .as("the limited calls are still waiting")
                .isPositive();
        for (DispatchId id : backlog) {
            assertThat(this.dispatcher
                            .awaitCompletion(id, Duration.ofSeconds(30))
                            .status())
                    .isEqualTo(InvocationStatus.SUCCEEDED);
        }
        assertThat(Throttling.mostRunning(group)).isEqualTo(2);
    }
}
