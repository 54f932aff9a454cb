package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Children that complete while their parent suspends must wake it. The poller's sweep would hide a lost wake-up, so
 * it is pushed out of reach (an hour); only the serialisation of child completion and parent suspension on the step's
 * row can make these parents finish.
 */
@SpringBootTest(properties = {"dispatch.poll-interval=1h", "dispatch.workers=8"})
class WakeUpTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Fanout fanout;

    @Test
    void noWakeUpIsLostWhenChildrenCompleteWhileTheirParentSuspends() {
        int parents = 300;
        List<DispatchId> ids = new ArrayList<>();
        for (int p = 0; p < parents; p++) {
            int parent = p;
            ids.add(this.dispatcher.dispatch(() -> this.fanout.sumOfChildren(parent, 1 + parent % 4)));
        }
        for (DispatchId id : ids) {
            InvocationInfo info = this.dispatcher.awaitCompletion(id, Duration.ofSeconds(60));
            assertThat(info.status()).as("parent %s", id).isEqualTo(InvocationStatus.SUCCEEDED);
        }
        assertThat(this.fanout.sumOfChildren(7, 3)).isEqualTo(7000 + 7001 + 7002);
    }
}
