package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.Batch;
import dev.dispatch.DispatchId;
import dev.dispatch.DispatchOptions;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationStatus;
import dev.dispatch.engine.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Among due calls, higher priorities start first. One worker and no claim-ahead, and the calls are all due before the
 * scheduler looks (it is stopped while they are recorded), so the start order is the claim order alone.
 */
@SpringBootTest(properties = {"dispatch.workers=1", "dispatch.claim-ahead=0"})
class PriorityTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Priorities priorities;

    @Autowired
    Scheduler scheduler;

    @Test
    void higherPrioritiesStartFirstAmongDueCalls() {
        String group = UUID.randomUUID().toString();
        List<DispatchId> ids = new ArrayList<>();
        this.scheduler.stop();
        try {
            ids.add(this.dispatcher.dispatch(() -> this.priorities.ordinary(group, "ordinary")));
            ids.add(this.dispatcher.dispatch(() -> this.priorities.background(group, "background")));
            ids.add(this.dispatcher.dispatch(
                    () -> this.priorities.ordinary(group, "raised"), DispatchOptions.priority(3)));
            ids.add(this.dispatcher.dispatch(() -> this.priorities.urgent(group, "urgent")));
            Batch batch = this.dispatcher.batch();
            batch.add(() -> this.priorities.ordinary(group, "ordinary-batch"));
            ids.addAll(batch.dispatch());
        } finally {
            this.scheduler.start();
        }

        for (DispatchId id : ids) {
            assertThat(this.dispatcher
                            .awaitCompletion(id, Duration.ofSeconds(30))
                            .status())
                    .isEqualTo(InvocationStatus.SUCCEEDED);
        }
        assertThat(Priorities.starts(group))
                .containsExactly("urgent", "raised", "ordinary", "ordinary-batch", "background");
    }
}
