package com.example.shop.actuator;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.shop.Ledger;
import com.example.shop.ShopApplication;
import com.example.shop.Throttling;
import dev.dispatch.Batch;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import dev.dispatch.Status;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Adaptive concurrency (AIMD) as an operator sees it through the real actuator: the limit of a function halves when
 * its calls are throttled (a {@code ThrottledException}, an HTTP 429 answered to Spring's RestClient), never below 1,
 * and successes raise it again; the summary and the {@code dispatch.function.concurrency.limit} gauge show it.
 */
@SpringBootTest(
        classes = ShopApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            // the same context as DispatchEndpointTests: one connection pool less on the suite's database server
            "management.endpoints.web.exposure.include=dispatch,health,metrics",
            "management.endpoint.health.show-details=always"
        })
class AdaptiveConcurrencyTests {

    @LocalServerPort
    int port;

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Throttling throttling;

    @Autowired
    Ledger ledger;

    Http http;

    @BeforeEach
    void setUp() {
        this.http = new Http(this.port);
        this.ledger.reset();
    }

    @Test
    void http429HalvesTheLimitAndASuccessRaisesIt() {
        assertThat(limit("throttling.callBusyService").get("configured").asInt())
                .isEqualTo(8);
        String key = UUID.randomUUID().toString();
        this.ledger.failNext("busy:" + key, 2);

        InvocationInfo info = await(this.dispatcher.dispatch(() -> this.throttling.callBusyService(this.port, key)));

        assertThat(info.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(info.attempts()).isEqualTo(3);
        assertThat(info.errorStatus()).as("the last error: the 429").isEqualTo(Status.THROTTLED);
        JsonNode limit = limit("throttling.callBusyService");
        assertThat(limit.get("configured").asInt()).isEqualTo(8);
        assertThat(limit.get("current").asDouble())
                .as("8, halved twice, plus 1/2 for the success")
                .isEqualTo(2.5);
        assertThat(gauge("throttling.callBusyService")).isEqualTo(2.5);
    }

    @Test
    void theLimitNeverGoesBelowOneAndIsKeptWhileItIsLow() {
        String group = UUID.randomUUID().toString();

        InvocationInfo throttled = await(this.dispatcher.dispatch(() -> this.throttling.pressured(group, true)));
        InvocationInfo again = await(this.dispatcher.dispatch(() -> this.throttling.pressured(group, true)));

        assertThat(throttled.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(again.errorStatus()).isEqualTo(Status.THROTTLED);
        assertThat(limit("throttling.pressured").get("current").asDouble())
                .as("4 halved six times, floored at 1")
                .isEqualTo(1.0);
        assertThat(gauge("throttling.pressured")).isEqualTo(1.0);

        Batch batch = this.dispatcher.batch();
        batch.add(() -> this.throttling.pressured(group, false));
        batch.add(() -> this.throttling.pressured(group, false));
        List<DispatchId> work = batch.dispatch();
        work.forEach(this::await);

        assertThat(Throttling.mostRunning(group))
                .as("a limit of 1 on this node: the second call waited for the first (configured: 4)")
                .isEqualTo(1);
        // awaitCompletion may read the second call's end from the database before its node has counted it (a
        // node counts an end right after writing it): wait for that
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(
                                limit("throttling.pressured").get("current").asDouble())
                        .as("1 + 1/1, then 2 + 1/2")
                        .isEqualTo(2.5));
    }

    @Test
    void aFunctionWithoutALimitGetsOneFromTheWorkersWhenThrottledUntilSuccessesRestoreIt() {
        assertThat(summary().get("concurrency").has("throttling.unlimited")).isFalse();
        String key = UUID.randomUUID().toString();
        this.ledger.failNext("unlimited:" + key, 1);

        await(this.dispatcher.dispatch(() -> this.throttling.unlimited(key)));

        JsonNode limit = limit("throttling.unlimited");
        assertThat(limit.get("configured").asInt()).as("none configured").isZero();
        assertThat(limit.get("current").asDouble())
                .as("8 workers, halved, plus 1/4")
                .isEqualTo(4.25);

        Batch batch = this.dispatcher.batch();
        for (int i = 0; i < 30; i++) {
            String other = key + i;
            batch.add(() -> this.throttling.unlimited(other));
        }
        batch.dispatch().forEach(this::await);

        assertThat(summary().get("concurrency").has("throttling.unlimited"))
                .as("raised back to the number of workers: no limit any more")
                .isFalse();
        assertThat(gauge("throttling.unlimited")).isEqualTo(8.0);
    }

    private InvocationInfo await(DispatchId id) {
        return this.dispatcher.awaitCompletion(id, Duration.ofSeconds(30));
    }

    private JsonNode summary() {
        Http.Response response = this.http.get("/actuator/dispatch");
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    private JsonNode limit(String function) {
        JsonNode limit = summary().get("concurrency").get(function);
        assertThat(limit).as("the summary lists the limit of " + function).isNotNull();
        return limit;
    }

    private double gauge(String function) {
        Http.Response response =
                this.http.get("/actuator/metrics/dispatch.function.concurrency.limit?tag=function:" + function);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("measurements").get(0).get("value").asDouble();
    }
}
