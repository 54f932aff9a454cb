package com.example.shop.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.shop.Approvals;
import com.example.shop.ShopApplication;
import com.example.testdb.SharedDatabase;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationStatus;
import dev.dispatch.engine.Scheduler;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A signal sent on one node reaches a function waiting on another: two nodes (Spring contexts) on one PostgreSQL
 * database, the sender's scheduler stopped so that only the waiter's node can run the woken function. The sender's
 * node delivers the signal in the database and announces it (NOTIFY); the waiter's node claims the function.
 */
class SignalNodesTests {

    private static SharedDatabase database;

    private static ConfigurableApplicationContext waiterNode;

    private static ConfigurableApplicationContext senderNode;

    @BeforeAll
    static void start() {
        database = SharedDatabase.postgres();
        waiterNode = database.start(ShopApplication.class, "dispatch.node-id=waiter", "dispatch.poll-interval=2s");
        senderNode = database.start(ShopApplication.class, "dispatch.node-id=sender", "dispatch.poll-interval=2s");
        senderNode.getBean(Scheduler.class).stop();
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] {senderNode, waiterNode}) {
            if (node != null) {
                node.close();
            }
        }
        if (database != null) {
            database.close();
        }
    }

    @RepeatedTest(3)
    void aSignalSentOnOneNodeWakesTheFunctionWaitingOnAnother() {
        String key = "approval-" + UUID.randomUUID();
        Dispatcher waiterDispatcher = waiterNode.getBean(Dispatcher.class);
        Approvals approvals = waiterNode.getBean(Approvals.class);
        DispatchId decision = waiterDispatcher.dispatch(
                () -> approvals.decide(key, Duration.ofHours(1).toMillis()));
        JdbcTemplate jdbc = waiterNode.getBean(JdbcTemplate.class);
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> jdbc.queryForObject(
                                "SELECT COUNT(*) FROM dispatch_signal_wait WHERE signal_key = ?", Integer.class, key),
                        n -> n == 1);

        senderNode.getBean(Dispatcher.class).signal(key, new Approvals.Approval("ada", true));

        assertThat(waiterDispatcher
                        .awaitCompletion(decision, Duration.ofSeconds(20))
                        .status())
                .isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(waiterDispatcher.<String>result(decision)).contains("ada approved " + key);
        assertThat(waiterDispatcher.describe(decision).orElseThrow().attempts()).isEqualTo(1);
    }
}
