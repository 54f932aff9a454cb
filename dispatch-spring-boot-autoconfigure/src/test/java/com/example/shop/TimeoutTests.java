package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import dev.dispatch.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest
class TimeoutTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Slow slow;

    @Autowired
    Ledger ledger;

    @Test
    void anAttemptPastItsTimeoutIsInterruptedCountedAsTimeoutAndRetried() {
        this.ledger.failNext("hang:a", 1);

        DispatchId id = this.dispatcher.dispatch(() -> this.slow.hangOnce("a"));
        InvocationInfo info = this.dispatcher.awaitCompletion(id, Duration.ofSeconds(20));

        assertThat(info.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(info.attempts()).isEqualTo(2);
        assertThat(info.errorStatus()).as("the last error is kept").isEqualTo(Status.TIMEOUT);
        assertThat(info.errorMessage()).contains("exceeded its timeout of PT0.2S");
        assertThat(Duration.between(info.createdAt(), info.completedAt())).isLessThan(Duration.ofSeconds(10));
    }
}
