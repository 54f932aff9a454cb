package com.example.shop.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.shop.ShopApplication;
import com.example.shop.Throttling;
import com.example.testdb.SharedDatabase;
import dev.dispatch.Batch;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationStatus;
import dev.dispatch.engine.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A concurrency limit holds across nodes: two nodes (Spring contexts) on one PostgreSQL database both claim calls of a
 * function limited to two, and never run more than two of them at once between them.
 */
class ConcurrencyLimitNodesTests {

    private static SharedDatabase database;

    private static ConfigurableApplicationContext nodeA;

    private static ConfigurableApplicationContext nodeB;

    @BeforeAll
    static void start() {
        database = SharedDatabase.postgres();
        nodeA = database.start(ShopApplication.class, "dispatch.node-id=node-a", "dispatch.poll-interval=50ms");
        nodeB = database.start(
                ShopApplication.class, "dispatch.node-id=node-b", "dispatch.poll-interval=50ms", "dispatch.workers=1");
    }

    @AfterAll
    static void stop() {
        if (nodeB != null) {
            nodeB.close();
        }
        if (nodeA != null) {
            nodeA.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @RepeatedTest(3)
    void twoNodesNeverRunMoreThanTheLimitBetweenThem() {
        String group = UUID.randomUUID().toString();
        // node-b, with one worker, takes one of the two slots while node-a claims nothing; then node-a takes the other.
        // A node whose call ends claims the next at once, so both nodes keep running calls from then on (had one node
        // taken both slots first, it could have run every call).
        Scheduler schedulerA = nodeA.getBean(Scheduler.class);
        schedulerA.stop();
        List<DispatchId> ids;
        try {
            Throttling throttling = nodeB.getBean(Throttling.class);
            Batch batch = nodeB.getBean(Dispatcher.class).batch();
            for (int i = 0; i < 40; i++) {
                int index = i;
                batch.add(() -> throttling.limited(group, index));
            }
            ids = batch.dispatch();
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Throttling.runsOn(group, "node-b") == 0 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        } finally {
            schedulerA.start();
        }

        Dispatcher dispatcher = nodeA.getBean(Dispatcher.class);
        for (DispatchId id : ids) {
            assertThat(dispatcher.awaitCompletion(id, Duration.ofSeconds(60)).status())
                    .isEqualTo(InvocationStatus.SUCCEEDED);
        }
        assertThat(Throttling.runsOn(group, "node-a") + Throttling.runsOn(group, "node-b"))
                .isEqualTo(40);
        assertThat(Throttling.runsOn(group, "node-a")).as("calls node-a ran").isPositive();
        assertThat(Throttling.runsOn(group, "node-b")).as("calls node-b ran").isPositive();
        assertThat(Throttling.mostRunning(group))
                .as("nine workers on two nodes, a limit of two")
                .isEqualTo(2);
    }
}
