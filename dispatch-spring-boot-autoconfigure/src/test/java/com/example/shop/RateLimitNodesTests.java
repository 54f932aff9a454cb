package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.testdb.SharedDatabase;
import dev.dispatch.Batch;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A rate limit holds across nodes: two nodes (Spring contexts) on one database (an H2 file, or PostgreSQL on its run)
 * share the function's token bucket, so that together they start at most 5 attempts per second, plus the bucket's
 * burst of 5: 25 calls take at least 4 seconds.
 */
class RateLimitNodesTests {

    private static final int CALLS = 25;

    private static SharedDatabase database;

    private static ConfigurableApplicationContext nodeA;

    private static ConfigurableApplicationContext nodeB;

    @BeforeAll
    static void start() {
        database = SharedDatabase.create();
        nodeA = database.start(ShopApplication.class, "dispatch.node-id=node-a", "dispatch.poll-interval=50ms");
        nodeB = database.start(ShopApplication.class, "dispatch.node-id=node-b", "dispatch.poll-interval=50ms");
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

    @Test
    void twoNodesTogetherKeepToTheRate() {
        String group = UUID.randomUUID().toString();
        Rated rated = nodeA.getBean(Rated.class);
        Batch batch = nodeA.getBean(Dispatcher.class).batch();
        for (int i = 0; i < CALLS; i++) {
            int index = i;
            batch.add(() -> rated.fivePerSecond(group, index));
        }
        List<DispatchId> ids = batch.dispatch();

        Dispatcher dispatcher = nodeB.getBean(Dispatcher.class);
        for (DispatchId id : ids) {
            assertThat(dispatcher.awaitCompletion(id, Duration.ofSeconds(60)).status())
                    .isEqualTo(InvocationStatus.SUCCEEDED);
        }
        List<Instant> starts = Rated.starts(group).stream().sorted().toList();
        assertThat(starts).hasSize(CALLS);
        for (Instant from : starts) {
            long inWindow = starts.stream()
                    .filter(t -> !t.isBefore(from) && t.isBefore(from.plusSeconds(1)))
                    .count();
            // a full bucket's burst of 5, the 5 tokens that come over the second, and one for the moment between a
            // call's claim (which takes its token) and its start: the burst's calls may start a little after the claim
            assertThat(inWindow)
                    .as("attempts started within a second from %s", from)
                    .isLessThanOrEqualTo(11);
        }
        assertThat(Duration.between(starts.get(0), starts.get(CALLS - 1)))
                .as("5 at once from the full bucket, the other 20 at 5 a second")
                .isGreaterThanOrEqualTo(Duration.ofMillis(3_500));
        JdbcTemplate jdbc = nodeA.getBean(JdbcTemplate.class);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM dispatch_invocation WHERE function_name = 'rated.fivePerSecond'"
                                + " AND attempts <> 1",
                        Integer.class))
                .as("calls that waited for a token used no attempt")
                .isZero();
    }
}
