package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A small run is not held back by a large fan-out recorded before it: among due calls of equal priority the trees take
 * turns, so the small root finishes while the large one has most of its calls still to run (its calls take 50 ms
 * each: four workers need 25 s for all of them).
 */
@SpringBootTest(properties = "dispatch.workers=4")
class FairnessTests {

    private static final int LARGE = 2_000;

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Fairness fairness;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aSmallRootFinishesWhileALargeOneRuns() {
        String large = "large-" + UUID.randomUUID();
        String small = "small-" + UUID.randomUUID();
        DispatchId largeRoot = this.dispatcher.dispatch(() -> this.fairness.fanOut(large, LARGE, 50));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> this.jdbc.queryForObject(
                                "SELECT COUNT(*) FROM dispatch_invocation WHERE parent_id = ?",
                                Integer.class,
                                largeRoot.value())
                        == LARGE);

        DispatchId smallRoot = this.dispatcher.dispatch(() -> this.fairness.fanOut(small, 10, 5));

        InvocationInfo finished = this.dispatcher.awaitCompletion(smallRoot, Duration.ofSeconds(60));
        int largeDone = Fairness.done(large);
        assertThat(finished.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(largeDone)
                .as("calls of the large fan-out finished before the small root did (FIFO would be all %d)", LARGE)
                .isLessThan(LARGE * 3 / 4);
        this.dispatcher.cancel(largeRoot);
    }
}
