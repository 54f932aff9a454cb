package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationStatus;
import dev.dispatch.Status;
import dev.dispatch.engine.AttemptOutcome;
import dev.dispatch.engine.EngineListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** An application's {@link EngineListener} beans hear of each attempt a worker starts, before it starts, and its end. */
@SpringBootTest
class EngineListenerTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Retried retried;

    @Autowired
    Heard heard;

    @Test
    void aListenerHearsOfAnAttemptAsAWorkerStartsItAndWhenItEnds() {
        DispatchId id = this.dispatcher.dispatch(() -> this.retried.count("listened"));
        assertThat(this.dispatcher.awaitCompletion(id, Duration.ofSeconds(20)).status())
                .isEqualTo(InvocationStatus.SUCCEEDED);

        // awaitCompletion may read the end from the database before the writer's thread, once its commit returned,
        // has told the listeners: wait for that
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(this.heard.events)
                        .as("what the listener heard")
                        .contains("starting retried.count " + id.value() + " 1", "ended retried.count SUCCESS OK"));
        assertThat(this.heard.events.indexOf("starting retried.count " + id.value() + " 1"))
                .isLessThan(this.heard.events.indexOf("ended retried.count SUCCESS OK"));
    }

    @TestConfiguration
    static class Listening {

        @Bean
        Heard heard() {
            return new Heard();
        }
    }

    static class Heard implements EngineListener {

        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void attemptStarting(String function, String invocationId, int attempt) {
            this.events.add("starting " + function + " " + invocationId + " " + attempt);
        }

        @Override
        public void attemptEnded(String function, AttemptOutcome outcome, Status status) {
            this.events.add("ended " + function + " " + outcome + " " + status);
        }
    }
}
