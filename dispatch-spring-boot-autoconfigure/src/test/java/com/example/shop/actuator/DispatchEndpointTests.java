package com.example.shop.actuator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.shop.Approvals;
import com.example.shop.Calculator;
import com.example.shop.Ledger;
import com.example.shop.Operations;
import com.example.shop.ShopApplication;
import com.example.shop.Timers;
import dev.dispatch.DispatchId;
import dev.dispatch.DispatchOptions;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The read operations through the real HTTP endpoint, with the defaults: values masked, no write operations. */
@SpringBootTest(
        classes = ShopApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "management.endpoints.web.exposure.include=dispatch,health,metrics",
            "management.endpoint.health.show-details=always"
        })
class DispatchEndpointTests {

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
    Timers timers;

    @Autowired
    Approvals approvals;

    Http http;

    @BeforeEach
    void setUp() {
        this.http = new Http(this.port);
        this.ledger.reset();
    }

    @Test
    void theSummaryCountsByStatusAndFunctionAndShowsTheWorkers() {
        this.calculator.add(40, 2);

        // the counts come from a short cache (a few seconds): another test's summary may have been read just before
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(this.http
                                .get("/actuator/dispatch")
                                .json()
                                .at("/byFunction/calculator.add/SUCCEEDED")
                                // Jackson 3.0 (Boot 4.0.1) throws for a missing node where 3.1 answers 0
                                .asLong(0))
                        .isPositive());
        Http.Response response = this.http.get("/actuator/dispatch");

        assertThat(response.status()).isEqualTo(200);
        JsonNode summary = response.json();
        assertThat(summary.get("byStatus").get("SUCCEEDED").asLong()).isPositive();
        assertThat(summary.get("workers").get("total").asInt()).isEqualTo(8);
        assertThat(summary.get("functions").toString()).contains("operations.importFile");
        assertThat(summary.get("node").asString()).isNotBlank();
        assertThat(summary.get("unrunnable").asLong()).isZero();
    }

    @Test
    void theListFiltersByStatusFunctionAndRootNewestFirst() {
        this.ledger.failNext("import:a.csv", 1);
        DispatchId failed = this.dispatcher.dispatch(() -> this.operations.importFile("a.csv"));
        this.dispatcher.awaitCompletion(failed, Duration.ofSeconds(10));
        this.calculator.add(1, 1);
        this.calculator.add(2, 2);

        JsonNode byStatus = this.http
                .get("/actuator/dispatch?status=FAILED&function=operations.importFile")
                .json();
        assertThat(byStatus.get("invocations").valueStream())
                .allMatch(node -> node.get("status").asString().equals("FAILED"));
        assertThat(byStatus.get("invocations").get(0).get("id").asString())
                .as("newest first")
                .isEqualTo(failed.value());
        assertThat(byStatus.get("invocations").get(0).get("errorMessage").asString())
                .as("masked like values")
                .isEqualTo("******");
        assertThat(byStatus.get("recentFailures").toString()).contains(failed.value());

        JsonNode limited = this.http
                .get("/actuator/dispatch?function=calculator.add&limit=1")
                .json();
        assertThat(limited.get("invocations")).hasSize(1);
        assertThat(limited.get("invocations").get(0).get("function").asString()).isEqualTo("calculator.add");

        JsonNode byRoot =
                this.http.get("/actuator/dispatch?root=" + failed.value()).json();
        assertThat(byRoot.get("invocations")).hasSize(1);
    }

    @Test
    void theStatusFilterReadsAnyCaseAndRefusesAnUnknownStatus() {
        this.ledger.failNext("import:case.csv", 1);
        DispatchId failed = this.dispatcher.dispatch(() -> this.operations.importFile("case.csv"));
        this.dispatcher.awaitCompletion(failed, Duration.ofSeconds(10));

        // an operator typing the status as the docs' prose writes it finds the same invocations, not an empty list
        JsonNode lower = this.http
                .get("/actuator/dispatch?status=failed&function=operations.importFile&limit=1000")
                .json();
        assertThat(lower.get("invocations").toString()).contains(failed.value());
        assertThat(lower.get("invocations").valueStream())
                .allMatch(node -> node.get("status").asString().equals("FAILED"));

        // a status that does not exist is the caller's mistake, not "nothing matches"
        assertThat(this.http.get("/actuator/dispatch?status=FAIL").status()).isEqualTo(400);
    }

    @Test
    void errorMessagesAndStacksAreMaskedLikeValues() {
        this.ledger.failNext("import:alice@example.com", 1);
        DispatchId failed = this.dispatcher.dispatch(() -> this.operations.importFile("alice@example.com"));
        assertThat(this.dispatcher
                        .awaitCompletion(failed, Duration.ofSeconds(10))
                        .status())
                .isEqualTo(InvocationStatus.FAILED);

        Http.Response details = this.http.get("/actuator/dispatch/" + failed.value());
        Http.Response list = this.http.get("/actuator/dispatch?root=" + failed.value());

        assertThat(details.json().get("invocation").get("errorMessage").asString())
                .isEqualTo("******");
        assertThat(details.json().get("errorStack").asString()).isEqualTo("******");
        assertThat(details.json().get("invocation").get("errorType").asString())
                .isEqualTo("dev.dispatch.PermanentFailureException");
        assertThat(details.body() + list.body()).doesNotContain("alice@example.com");
    }

    @Test
    void oneInvocationShowsItsStepsWithProgressAndPagesLargeSteps() {
        DispatchId id = this.dispatcher.dispatch(() -> this.operations.sumOfSquares(30));
        assertThat(this.dispatcher.awaitCompletion(id, Duration.ofSeconds(20)).status())
                .isEqualTo(InvocationStatus.SUCCEEDED);

        JsonNode details = this.http.get("/actuator/dispatch/" + id.value()).json();

        assertThat(details.get("invocation").get("function").asString()).isEqualTo("operations.sumOfSquares");
        assertThat(details.get("invocation").get("status").asString()).isEqualTo("SUCCEEDED");
        JsonNode step = details.get("steps").get(0);
        assertThat(step.get("kind").asString()).isEqualTo("GATHER");
        assertThat(step.get("size").asInt()).isEqualTo(30);
        assertThat(step.get("succeeded").asLong()).isEqualTo(30);
        assertThat(step.get("children")).as("a large step is paged").hasSize(20);

        JsonNode page = this.http
                .get("/actuator/dispatch/" + id.value() + "?step=0&offset=25&limit=10")
                .json()
                .get("steps")
                .get(0);
        assertThat(page.get("offset").asInt()).isEqualTo(25);
        assertThat(page.get("children")).hasSize(5);
        assertThat(page.get("children").get(0).get("parentId").asString()).isEqualTo(id.value());
    }

    @Test
    void aSleepingInvocationShowsItsWakeTimeAndItsDeadline() throws InterruptedException {
        DispatchId id = this.dispatcher.dispatch(
                () -> this.timers.napThenAdd(
                        "endpoint-nap", Duration.ofMinutes(5).toMillis()),
                DispatchOptions.deadline(Duration.ofMinutes(10)));
        InvocationInfo info = awaitAsleep(id);

        JsonNode details = this.http.get("/actuator/dispatch/" + id.value()).json();

        Instant deadline =
                Instant.parse(details.get("invocation").get("deadlineAt").asString());
        assertThat(deadline)
                .isEqualTo(info.deadlineAt())
                .isEqualTo(info.createdAt().plus(Duration.ofMinutes(10)));
        JsonNode sleep = details.get("steps").get(0);
        assertThat(sleep.get("kind").asString()).isEqualTo("SLEEP");
        Instant wake = Instant.parse(sleep.get("decidedAt").asString());
        assertThat(wake).isAfterOrEqualTo(info.createdAt().plus(Duration.ofMinutes(5)));
        assertThat(Instant.parse(details.get("nextAttemptAt").asString()))
                .as("it runs again at its wake time")
                .isEqualTo(wake);
        JsonNode listed = this.http
                .get("/actuator/dispatch?root=" + id.value())
                .json()
                .get("invocations")
                .get(0);
        assertThat(Instant.parse(listed.get("deadlineAt").asString())).isEqualTo(deadline);
        this.dispatcher.cancel(id);
    }

    private InvocationInfo awaitAsleep(DispatchId id) {
        return await("asleep")
                .atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            // ran first, then read: a PENDING read before the run started would be the call not
                            // yet claimed
                            boolean ran = this.ledger.runs("before-nap:endpoint-nap") > 0;
                            InvocationInfo info = this.dispatcher.describe(id).orElseThrow();
                            return (ran && info.status() == InvocationStatus.PENDING) ? info : null;
                        },
                        info -> info != null);
    }

    @Test
    void valuesAreMaskedByDefaultAndShownAsTheirSize() {
        int sum = this.calculator.add(20, 22);
        String id = this.http
                .get("/actuator/dispatch?function=calculator.add&limit=50")
                .json()
                .get("invocations")
                .valueStream()
                .filter(node -> node.get("status").asString().equals("SUCCEEDED"))
                .findFirst()
                .orElseThrow()
                .get("id")
                .asString();

        JsonNode details = this.http.get("/actuator/dispatch/" + id).json();

        assertThat(sum).isEqualTo(42);
        assertThat(details.get("arguments").get("size").asInt()).isPositive();
        assertThat(details.get("arguments").get("json").isNull()).isTrue();
        assertThat(details.get("result").get("json").isNull()).isTrue();
    }

    @Test
    void anUnknownInvocationIsNotFoundAndSaysSoAsTheWriteOperationsDo() {
        Http.Response response = this.http.get("/actuator/dispatch/no-such-id");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("id").asString()).isEqualTo("no-such-id");
        assertThat(response.json().get("error").asString()).isEqualTo("No invocation no-such-id");
    }

    @Test
    void theWriteOperationsAreAbsentByDefault() {
        this.ledger.failNext("import:b.csv", 1);
        DispatchId failed = this.dispatcher.dispatch(() -> this.operations.importFile("b.csv"));
        this.dispatcher.awaitCompletion(failed, Duration.ofSeconds(10));

        Http.Response response = this.http.post("/actuator/dispatch/" + failed.value(), "{\"action\":\"retry\"}");

        assertThat(response.status()).isEqualTo(405);
        assertThat(this.dispatcher.describe(failed).orElseThrow().status()).isEqualTo(InvocationStatus.FAILED);
    }

    @Test
    void theSchedulesShowTheirCronZoneNextTickAndLastRun() {
        JsonNode schedules =
                this.http.get("/actuator/dispatch/schedules").json().get("schedules");

        JsonNode yearEnd = null;
        for (JsonNode schedule : schedules) {
            if (schedule.get("function").asString().equals("yearEnd.closeTheBooks")) {
                yearEnd = schedule;
            }
        }
        assertThat(yearEnd).as("the shop's schedule in %s", schedules).isNotNull();
        assertThat(yearEnd.get("cron").asString()).isEqualTo("0 0 3 1 1 *");
        assertThat(yearEnd.get("zone").asString()).isEqualTo("UTC");
        assertThat(yearEnd.get("overlap").asString()).isEqualTo("SKIP");
        assertThat(yearEnd.get("paused").asBoolean()).isFalse();
        assertThat(yearEnd.get("nextTick").asString()).contains("-01-01T03:00:00");
        assertThat(yearEnd.has("lastRunStatus")).isTrue();
    }

    @Test
    void theWaitsInProgressAndTheSignalsNotTakenAreShown() {
        String waitedFor = "approval-" + UUID.randomUUID();
        String unclaimed = "bounce-" + UUID.randomUUID();
        DispatchId waiting = this.dispatcher.dispatch(
                () -> this.approvals.decide(waitedFor, Duration.ofHours(1).toMillis()));
        this.dispatcher.signal(unclaimed, "mailbox full");

        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> this.http
                                .get("/actuator/dispatch/signals")
                                .json()
                                .get("waits")
                                .toString(),
                        waits -> waits.contains(waitedFor));
        JsonNode signals = this.http.get("/actuator/dispatch/signals").json();
        JsonNode wait = find(signals.get("waits"), "key", waitedFor);
        assertThat(wait.get("invocationId").asString()).isEqualTo(waiting.value());
        assertThat(wait.get("function").asString()).isEqualTo("approvals.decide");
        assertThat(Instant.parse(wait.get("timeoutAt").asString()))
                .isAfter(Instant.parse(wait.get("since").asString()).plus(Duration.ofMinutes(59)));
        JsonNode signal = find(signals.get("signals"), "key", unclaimed);
        assertThat(signal.get("payloadSize").asInt()).isEqualTo("\"mailbox full\"".length());
        assertThat(signal.has("payload")).as("the payload is not shown").isFalse();

        this.dispatcher.signal(waitedFor, new Approvals.Approval("ada", true));
        this.dispatcher.awaitCompletion(waiting, Duration.ofSeconds(20));
        assertThat(this.http
                        .get("/actuator/dispatch/signals")
                        .json()
                        .get("waits")
                        .toString())
                .doesNotContain(waitedFor);
    }

    @Test
    void theScheduleActionsAreAbsentByDefault() {
        assertThat(this.http
                        .post("/actuator/dispatch/schedules/yearEnd.closeTheBooks", "{\"action\":\"trigger\"}")
                        .status())
                .as("no such operation while the endpoint is read-only")
                .isEqualTo(404);
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode element : array) {
            if (element.get(field).asString().equals(value)) {
                return element;
            }
        }
        throw new AssertionError("no " + field + " " + value + " in " + array);
    }

    @Test
    void theHealthIndicatorReportsTheSchedulerAndTheBacklog() {
        JsonNode health = this.http.get("/actuator/health/dispatch").json();

        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("details").get("scheduler").asString()).isEqualTo("running");
        assertThat(health.get("details").has("backlog")).isTrue();
        assertThat(health.get("details").get("lastPoll").asString()).isNotEqualTo("never");
    }
}
