package com.example.shop.actuator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.shop.Calculator;
import com.example.shop.Ledger;
import com.example.shop.Operations;
import com.example.shop.ShopApplication;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** The write operations and shown values, enabled on purpose, through the real HTTP endpoint. */
@SpringBootTest(
        classes = ShopApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "management.endpoints.web.exposure.include=dispatch",
            "dispatch.actuator.write-operations=true",
            "dispatch.actuator.show-values=always"
        })
class DispatchEndpointWriteTests {

    @LocalServerPort
    int port;

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Operations operations;

    @Autowired
    Calculator calculator;

    @Autowired
    Ledger ledger;

    @Autowired
    JdbcTemplate jdbc;

    Http http;

    @BeforeEach
    void setUp() {
        this.http = new Http(this.port);
        this.ledger.reset();
    }

    @Test
    void retryRunsAFailedInvocationAgain() {
        this.ledger.failNext("import:c.csv", 1);
        DispatchId id = this.dispatcher.dispatch(() -> this.operations.importFile("c.csv"));
        assertThat(this.dispatcher.awaitCompletion(id, Duration.ofSeconds(10)).status())
                .isEqualTo(InvocationStatus.FAILED);

        Http.Response response = this.http.post("/actuator/dispatch/" + id.value(), "{\"action\":\"retry\"}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("retried").asBoolean()).isTrue();
        assertThat(this.dispatcher.awaitCompletion(id, Duration.ofSeconds(10)).status())
                .isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.ledger.runs("import:c.csv")).isEqualTo(2);
    }

    @Test
    void cancelEndsAnInvocationWithItsDescendants() throws InterruptedException {
        DispatchId id = this.dispatcher.dispatch(() -> this.operations.waitForSlowChildren(3));
        awaitStatus(id, "SUSPENDED");

        Http.Response response = this.http.post("/actuator/dispatch/" + id.value(), "{\"action\":\"cancel\"}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("cancelled").asInt()).isEqualTo(4);
        assertThat(this.dispatcher.awaitCompletion(id, Duration.ofSeconds(5)).status())
                .isEqualTo(InvocationStatus.CANCELLED);
        Integer open = this.jdbc.queryForObject(
                "SELECT COUNT(*) FROM dispatch_invocation WHERE root_id = ? AND status <> 'CANCELLED'",
                Integer.class,
                id.value());
        assertThat(open).isZero();
    }

    @Test
    void anOperatorPausesResumesAndTriggersASchedule() {
        String path = "/actuator/dispatch/schedules/yearEnd.closeTheBooks";

        assertThat(this.http
                        .post(path, "{\"action\":\"pause\"}")
                        .json()
                        .get("changed")
                        .asBoolean())
                .isTrue();
        assertThat(yearEnd().get("paused").asBoolean()).isTrue();
        assertThat(this.http
                        .post(path, "{\"action\":\"resume\"}")
                        .json()
                        .get("changed")
                        .asBoolean())
                .isTrue();
        assertThat(yearEnd().get("paused").asBoolean()).isFalse();

        Http.Response triggered = this.http.post(path, "{\"action\":\"trigger\"}");
        assertThat(triggered.status()).isEqualTo(200);
        DispatchId run = DispatchId.of(triggered.json().get("runId").asString());
        assertThat(this.dispatcher.awaitCompletion(run, Duration.ofSeconds(10)).status())
                .isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(yearEnd().get("lastRunId").asString()).isEqualTo(run.value());
        assertThat(yearEnd().get("lastRunStatus").asString()).isEqualTo("SUCCEEDED");

        assertThat(this.http.post(path, "{\"action\":\"explode\"}").status()).isEqualTo(400);
        assertThat(this.http
                        .post("/actuator/dispatch/schedules/nobody.never", "{\"action\":\"trigger\"}")
                        .status())
                .isEqualTo(404);
    }

    private JsonNode yearEnd() {
        for (JsonNode schedule :
                this.http.get("/actuator/dispatch/schedules").json().get("schedules")) {
            if (schedule.get("function").asString().equals("yearEnd.closeTheBooks")) {
                return schedule;
            }
        }
        throw new AssertionError("no schedule yearEnd.closeTheBooks");
    }

    @Test
    void anUnknownActionIsABadRequest() {
        DispatchId id = this.dispatcher.dispatch(() -> this.calculator.add(1, 2));
        assertThat(this.http
                        .post("/actuator/dispatch/" + id.value(), "{\"action\":\"explode\"}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void valuesAreShownWhenConfigured() {
        DispatchId id = this.dispatcher.dispatch(() -> this.calculator.add(20, 22));
        this.dispatcher.awaitCompletion(id, Duration.ofSeconds(10));

        JsonNode details = this.http.get("/actuator/dispatch/" + id.value()).json();

        assertThat(details.get("arguments").get("json").asString()).isEqualTo("[20,22]");
        assertThat(details.get("result").get("json").asString()).isEqualTo("42");
    }

    private void awaitStatus(DispatchId id, String status) {
        await("status " + status)
                .atMost(Duration.ofSeconds(10))
                .until(() -> this.dispatcher
                        .describe(id)
                        .orElseThrow()
                        .status()
                        .name()
                        .equals(status));
    }
}
