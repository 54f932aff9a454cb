package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** More parents than workers, each gathering children: parents suspend instead of holding a worker, so all finish. */
@SpringBootTest(properties = "dispatch.workers=2")
class StarvationTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Fanout fanout;

    @Test
    void parentsThatGatherDoNotHoldTheWorkersTheirChildrenNeed() {
        List<DispatchId> parents = new ArrayList<>();
        for (int p = 0; p < 20; p++) {
            int parent = p;
            parents.add(this.dispatcher.dispatch(() -> this.fanout.sumOfChildren(parent, 3)));
        }
        for (DispatchId id : parents) {
            assertThat(this.dispatcher
                            .awaitCompletion(id, Duration.ofSeconds(30))
                            .status())
                    .isEqualTo(InvocationStatus.SUCCEEDED);
        }
    }
}
