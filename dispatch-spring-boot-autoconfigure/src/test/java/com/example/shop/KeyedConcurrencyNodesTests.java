package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.example.shop.Crawler.Page;
import com.example.testdb.SharedDatabase;
import com.example.testdb.TestDatabase;
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
 * A concurrency key holds across nodes: two nodes (Spring contexts) on one PostgreSQL or MariaDB database both claim
 * calls of a function limited to two per domain, and never run more than two of a domain at once between them, while
 * calls of different domains run beside each other. (An H2 database belongs to one process, whose one scheduler
 * claims: this runs on the PostgreSQL and MariaDB runs.)
 */
class KeyedConcurrencyNodesTests {

    private static final List<String> DOMAINS = List.of("a.example", "b.example", "c.example");

    private static final int CALLS = 30;

    private static SharedDatabase database;

    private static ConfigurableApplicationContext nodeA;

    private static ConfigurableApplicationContext nodeB;

    @BeforeAll
    static void start() {
        assumeTrue(
                TestDatabase.isPostgres() || TestDatabase.isMariadb(),
                "nodes share a PostgreSQL or MariaDB database; an H2 database belongs to one process");
        database = SharedDatabase.create();
        nodeA = database.start(ShopApplication.class, "dispatch.node-id=node-a", "dispatch.poll-interval=50ms");
        nodeB = database.start(
                ShopApplication.class, "dispatch.node-id=node-b", "dispatch.poll-interval=50ms", "dispatch.workers=2");
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
    void twoNodesTogetherNeverRunMoreThanTheLimitPerKey() {
        String group = UUID.randomUUID().toString();
        // node-b, with two workers, takes two calls while node-a claims nothing; then node-a takes what room is left.
        // Both nodes keep claiming from then on, each counting what the other runs.
        Scheduler schedulerA = nodeA.getBean(Scheduler.class);
        schedulerA.stop();
        List<DispatchId> ids;
        try {
            Crawler crawler = nodeB.getBean(Crawler.class);
            Batch batch = nodeB.getBean(Dispatcher.class).batch();
            for (int i = 0; i < CALLS; i++) {
                Page page = new Page(DOMAINS.get(i % DOMAINS.size()), "/" + i);
                batch.add(() -> crawler.fetch(page, group));
            }
            ids = batch.dispatch();
            await().atMost(Duration.ofSeconds(10)).until(() -> Crawler.runsOn(group, "node-b") > 0);
        } finally {
            schedulerA.start();
        }

        Dispatcher dispatcher = nodeA.getBean(Dispatcher.class);
        for (DispatchId id : ids) {
            assertThat(dispatcher.awaitCompletion(id, Duration.ofSeconds(60)).status())
                    .isEqualTo(InvocationStatus.SUCCEEDED);
        }
        assertThat(Crawler.runsOn(group, "node-a") + Crawler.runsOn(group, "node-b"))
                .isEqualTo(CALLS);
        assertThat(Crawler.runsOn(group, "node-a")).as("calls node-a ran").isPositive();
        assertThat(Crawler.runsOn(group, "node-b")).as("calls node-b ran").isPositive();
        for (String domain : DOMAINS) {
            assertThat(Crawler.mostRunning(group, domain))
                    .as("ten workers on two nodes, ten pages of %s, two per domain", domain)
                    .isEqualTo(2);
        }
        assertThat(Crawler.mostRunning(group))
                .as("pages of different domains ran at the same time")
                .isGreaterThan(2);
    }
}
