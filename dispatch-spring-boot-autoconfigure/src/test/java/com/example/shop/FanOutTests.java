package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

@SpringBootTest
class FanOutTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Notifications notifications;

    @Autowired
    Directory directory;

    @Autowired
    Ledger ledger;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void reset() {
        this.ledger.reset();
    }

    @Test
    void aParentRetryDoesNotRedispatchItsBatchAndEachFailedEmailIsRetriedOnItsOwn() throws Exception {
        int users = 50;
        this.directory.setUserCount(users);
        for (int i = 0; i < users; i += 5) {
            this.ledger.failNext("email:user" + i + "@example.com", 1);
        }
        this.ledger.failNext("notifyAllUsers:after-batch", 1);

        DispatchId id = this.dispatcher.dispatch(() -> this.notifications.notifyAllUsers());
        InvocationInfo parent = this.dispatcher.awaitCompletion(id, Duration.ofSeconds(30));

        assertThat(parent.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(parent.attempts()).isEqualTo(2);
        awaitChildren(id, users);
        for (int i = 0; i < users; i++) {
            String key = "email:user" + i + "@example.com";
            assertThat(this.ledger.successes(key)).as(key).isEqualTo(1);
            assertThat(this.ledger.runs(key)).as(key).isEqualTo(i % 5 == 0 ? 2 : 1);
        }
        assertThat(this.ledger.runs("fetchUsers")).isEqualTo(1);
        Integer emails = this.jdbc.queryForObject(
                "SELECT COUNT(*) FROM dispatch_invocation WHERE root_id = ? AND function_name = 'mailer.sendEmailNotification'",
                Integer.class,
                id.value());
        assertThat(emails).isEqualTo(users);
    }

    private void awaitChildren(DispatchId root, int expected) {
        await("every child succeeded")
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> this.jdbc.queryForObject(
                                "SELECT COUNT(*) FROM dispatch_invocation WHERE root_id = ? AND status = 'SUCCEEDED'"
                                        + " AND function_name = 'mailer.sendEmailNotification'",
                                Integer.class,
                                root.value()),
                        done -> done != null && done == expected);
    }
}
