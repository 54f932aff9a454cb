package com.example.shop.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.shop.Approvals;
import com.example.shop.Calculator;
import com.example.shop.ShopApplication;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** The console's JSON reads and actions over real HTTP, on the suite's database (H2, then PostgreSQL and MariaDB). */
@SpringBootTest(
        classes = ShopApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "dispatch.console.enabled=true",
            "dispatch.console.path=/ops/dispatch/",
            "dispatch.actuator.write-operations=true",
            "dispatch.actuator.show-values=always"
        })
class ConsoleApiTests {

    @LocalServerPort
    int port;

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Reports reports;

    @Autowired
    Calculator calculator;

    @Autowired
    Approvals approvals;

    @Autowired
    JdbcTemplate jdbc;

    ConsoleHttp http;

    @BeforeEach
    void setUp() {
        this.http = new ConsoleHttp(this.port);
    }

    @Test
    void runsComeNewestFirstAPageAtATimeAndFilteredByFunctionErrorAndId() {
        List<DispatchId> sums = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            sums.add(await(this.dispatcher.dispatch(() -> this.calculator.add(n, 1000))));
        }
        this.reports.breakPart(2);
        DispatchId failed = await(this.dispatcher.dispatch(() -> this.reports.build("annual", 3)));
        this.reports.fix(2);

        List<String> seen = new ArrayList<>();
        String next = null;
        do {
            JsonNode page = this.http
                    .get("/ops/dispatch/api/runs?function=calculator.add&limit=2"
                            + (next != null ? "&before=" + next : ""))
                    .json();
            page.get("runs").forEach(run -> seen.add(run.get("id").asString()));
            next = page.get("next").isNull() ? null : page.get("next").asString();
        } while (next != null);
        assertThat(seen).containsAll(sums.stream().map(DispatchId::value).toList());
        assertThat(seen).doesNotHaveDuplicates().doesNotContain(failed.value());
        List<String> ours = seen.stream()
                .filter(id -> sums.stream().anyMatch(sum -> sum.value().equals(id)))
                .toList();
        assertThat(ours)
                .as("newest first")
                .containsExactlyElementsOf(
                        reversed(sums.stream().map(DispatchId::value).toList()));

        JsonNode byError = this.http
                .get("/ops/dispatch/api/runs?function=reports.build&error=PART%202%20has%20no%20DATA%20source")
                .json();
        assertThat(byError.get("runs")).hasSize(1);
        JsonNode run = byError.get("runs").get(0);
        assertThat(run.get("id").asString()).isEqualTo(failed.value());
        assertThat(run.get("status").asString()).isEqualTo("FAILED");
        assertThat(run.at("/calls/total").asLong()).isEqualTo(3);
        assertThat(run.at("/calls/failed").asLong()).isEqualTo(1);

        JsonNode byId = this.http
                .get("/ops/dispatch/api/runs?id=" + sums.get(3).value().substring(0, 30))
                .json();
        assertThat(byId.get("runs"))
                .extracting(r -> r.get("id").asString())
                .containsExactly(sums.get(3).value());
        JsonNode since = this.http
                .get("/ops/dispatch/api/runs?status=FAILED&from="
                        + Instant.now().plusSeconds(60))
                .json();
        assertThat(since.get("runs")).isEmpty();
    }

    @Test
    void oneRunShowsItsStepsProgressAndItsCallsAPageAtATimeByPosition() {
        DispatchId id = await(this.dispatcher.dispatch(() -> this.reports.build("paged", 130)));

        JsonNode run =
                this.http.get("/ops/dispatch/api/invocations/" + id.value()).json();
        assertThat(run.get("function").asString()).isEqualTo("reports.build");
        assertThat(run.at("/arguments/json").asString()).isEqualTo("[\"paged\",130]");
        assertThat(run.at("/tree/succeeded").asLong()).isEqualTo(130);
        JsonNode step = run.get("steps").get(0);
        assertThat(step.get("kind").asString()).isEqualTo("GATHER");
        assertThat(step.at("/progress/total").asLong()).isEqualTo(130);
        assertThat(step.at("/progress/succeeded").asLong()).isEqualTo(130);

        String calls = "/ops/dispatch/api/groups/" + step.get("groupId").asString() + "/calls";
        JsonNode last = this.http.get(calls + "?from=120&limit=50").json();
        assertThat(last.get("calls"))
                .extracting(c -> c.get("position").asInt())
                .containsExactlyElementsOf(IntStream.range(120, 130).boxed().toList());
        assertThat(last.get("next").isNull()).isTrue();
        JsonNode first = this.http.get(calls + "?limit=50").json();
        assertThat(first.get("calls")).hasSize(50);
        assertThat(first.get("next").asInt()).isEqualTo(50);
        assertThat(first.get("calls").get(0).get("function").asString()).isEqualTo("reports.renderPart");
        assertThat(this.http.get(calls + "?status=FAILED").json().get("calls")).isEmpty();

        assertThat(this.http.get("/ops/dispatch/api/invocations/nope").status()).isEqualTo(404);
        assertThat(this.http.get("/ops/dispatch/api/runs?from=yesterday").status())
                .isEqualTo(400);
    }

    @Test
    void failuresAreGroupedByFunctionAndErrorTypeAndRetriedInBulkOnceCountedAndConfirmed() throws Exception {
        this.reports.breakPart(1);
        this.reports.breakPart(3);
        DispatchId build = await(this.dispatcher.dispatch(() -> this.reports.build("bulk", 5)));
        awaitCount(
                "SELECT COUNT(*) FROM dispatch_invocation WHERE root_id = '" + build.value()
                        + "' AND status = 'FAILED' AND function_name = 'reports.renderPart'",
                2);

        JsonNode groups = this.http.get("/ops/dispatch/api/failures").json();
        JsonNode parts = find(groups, "reports.renderPart");
        assertThat(parts.get("errorType").asString()).isEqualTo("dev.dispatch.PermanentFailureException");
        assertThat(parts.get("count").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(parts.get("latestMessage").asString()).matches("part [13] has no data source");
        assertThat(find(groups, "reports.build").get("errorType").asString())
                .isEqualTo("dev.dispatch.CallFailedException");

        String filter = "\"action\":\"retry\",\"function\":\"reports.renderPart\","
                + "\"errorType\":\"dev.dispatch.PermanentFailureException\"";
        JsonNode preview = this.http
                .post("/ops/dispatch/api/bulk", "{" + filter + ",\"dryRun\":true}")
                .json();
        long matching = preview.get("matching").asLong();
        assertThat(matching).isGreaterThanOrEqualTo(2);
        assertThat(this.http.post("/ops/dispatch/api/bulk", "{" + filter + "}").status())
                .as("not confirmed")
                .isEqualTo(400);

        this.reports.fix(1);
        this.reports.fix(3);
        JsonNode done = this.http
                .post("/ops/dispatch/api/bulk", "{" + filter + ",\"confirmed\":true}")
                .json();
        assertThat(done.get("retried").asLong()).isEqualTo(matching);
        awaitCount(
                "SELECT COUNT(*) FROM dispatch_invocation WHERE root_id = '" + build.value()
                        + "' AND function_name = 'reports.renderPart' AND status = 'SUCCEEDED'",
                5);
        assertThat(this.http
                        .post("/ops/dispatch/api/bulk", "{" + filter + ",\"dryRun\":true}")
                        .json()
                        .get("matching")
                        .asLong())
                .isZero();
    }

    @Test
    void theOverviewCountsCallsFinishedPerMinuteOverTheLastHour() {
        for (int i = 0; i < 3; i++) {
            int n = i;
            await(this.dispatcher.dispatch(() -> this.calculator.add(n, 1)));
        }
        JsonNode overview = this.http.get("/ops/dispatch/api/overview").json();
        assertThat(overview.get("perMinute")).hasSize(60);
        long succeeded = 0;
        for (JsonNode minute : overview.get("perMinute")) {
            succeeded += minute.get("succeeded").asLong();
        }
        assertThat(succeeded).isGreaterThanOrEqualTo(3);
        assertThat(overview.at("/byStatus/SUCCEEDED").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(overview.get("workers").asInt()).isPositive();
        assertThat(overview.get("functions").toString()).contains("calculator.add", "reports.build");
    }

    @Test
    void anActionOnABlankIdAnswers400() {
        assertThat(this.http
                        .post("/ops/dispatch/api/invocations/%20/retry", "{}")
                        .status())
                .isEqualTo(400);
        assertThat(this.http
                        .post("/ops/dispatch/api/invocations/%20/cancel", "{}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void retryAndCancelTakeAJsonBodyAndSayWhatTheyDid() {
        this.reports.breakPart(0);
        DispatchId failed = await(this.dispatcher.dispatch(() -> this.reports.renderPart(0)));
        this.reports.fix(0);
        String retry = "/ops/dispatch/api/invocations/" + failed.value() + "/retry";

        assertThat(this.http
                        .post(retry, "text/plain", "retry", java.util.Map.of())
                        .status())
                .isEqualTo(415);
        assertThat(this.http.post(retry, "{}").json().get("retried").asBoolean())
                .isTrue();
        assertThat(this.dispatcher
                        .awaitCompletion(failed, Duration.ofSeconds(20))
                        .status())
                .isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.http.post(retry, "{}").json().get("retried").asBoolean())
                .isFalse();
    }

    @Test
    void limitsShowEachFunctionsConcurrencyRateAndKeyAsTheActuatorDoes() {
        JsonNode limits = this.http.get("/ops/dispatch/api/limits").json();
        assertThat(limits.at("/rateLimits/rated.fivePerSecond/limit").asString())
                .isEqualTo("5/1s");
        assertThat(limits.at("/rateLimits/rated.fivePerSecond/tokens").asLong(-1))
                .isBetween(0L, 5L);
        assertThat(limits.at("/concurrency/throttling.limited/configured").asInt(-1))
                .as(limits.get("concurrency").toString())
                .isPositive();
        assertThat(limits.at("/concurrencyKeys/crawler.fetch/key").asString()).isEqualTo("#p0.domain");
        assertThat(limits.at("/concurrencyKeys/crawler.fetch/perKey").asInt()).isEqualTo(2);
    }

    @Test
    void schedulesWaitsAndSignalsAreShownAndASchedulePausedResumedAndRunNow() throws InterruptedException {
        String key = "approval-console-" + UUID.randomUUID();
        DispatchId waiting = this.dispatcher.dispatch(() -> this.approvals.decide(key, 3_600_000));
        this.dispatcher.signal("unclaimed-" + key, "hello");
        awaitCount("SELECT COUNT(*) FROM dispatch_signal_wait WHERE signal_key = '" + key + "'", 1);

        JsonNode answer = this.http.get("/ops/dispatch/api/schedules").json();
        assertThat(answer.get("schedules").toString()).contains("yearEnd.closeTheBooks", "0 0 3 1 1 *");
        assertThat(answer.get("waits").toString()).contains(key, waiting.value(), "approvals.decide");
        assertThat(answer.get("signals").toString()).contains("unclaimed-" + key);
        assertThat(answer.get("signals").toString()).doesNotContain("hello");

        String schedule = "/ops/dispatch/api/schedules/yearEnd.closeTheBooks/";
        assertThat(this.http
                        .post(schedule + "pause", "{}")
                        .json()
                        .get("changed")
                        .asBoolean())
                .isTrue();
        assertThat(this.http
                        .get("/ops/dispatch/api/schedules")
                        .json()
                        .at("/schedules")
                        .toString())
                .contains("\"paused\":true");
        assertThat(this.http
                        .post(schedule + "resume", "{}")
                        .json()
                        .get("changed")
                        .asBoolean())
                .isTrue();
        DispatchId run = DispatchId.of(
                this.http.post(schedule + "trigger", "{}").json().get("runId").asString());
        assertThat(this.dispatcher.awaitCompletion(run, Duration.ofSeconds(20)).status())
                .isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.http.post(schedule + "explode", "{}").status()).isEqualTo(400);
        assertThat(this.http
                        .post("/ops/dispatch/api/schedules/nobody.never/trigger", "{}")
                        .status())
                .isEqualTo(404);

        this.dispatcher.signal(key, new Approvals.Approval("ada", true));
        this.dispatcher.awaitCompletion(waiting, Duration.ofSeconds(20));
    }

    @Test
    void thePageIsServedAtEachAddressUnderAStrictContentSecurityPolicy() {
        for (String path : List.of(
                "/ops/dispatch",
                "/ops/dispatch/",
                "/ops/dispatch/runs/abc",
                "/ops/dispatch/failures",
                "/ops/dispatch/schedules")) {
            ConsoleHttp.Response page = this.http.get(path);
            assertThat(page.status()).as(path).isEqualTo(200);
            assertThat(page.header("Content-Security-Policy"))
                    .contains("default-src 'none'", "script-src 'self'")
                    .doesNotContain("unsafe-inline");
            assertThat(page.body())
                    .contains("<meta name=\"dispatch-base\" content=\"/ops/dispatch\">")
                    .contains("src=\"/ops/dispatch/assets/console.js\"")
                    .doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
        }
        assertThat(this.http.get("/ops/dispatch/assets/console.js").status()).isEqualTo(200);
        assertThat(this.http.get("/ops/dispatch/assets/../index.html").status()).isNotEqualTo(200);
    }

    private JsonNode find(JsonNode groups, String function) {
        for (JsonNode group : groups) {
            if (group.get("function").asString().equals(function)) {
                return group;
            }
        }
        throw new AssertionError("no failure group of " + function + " in " + groups);
    }

    private DispatchId await(DispatchId id) {
        this.dispatcher.awaitCompletion(id, Duration.ofSeconds(30));
        return id;
    }

    private void awaitCount(String sql, int expected) {
        org.awaitility.Awaitility.await(sql + " = " + expected)
                .atMost(Duration.ofSeconds(30))
                .until(() -> this.jdbc.queryForObject(sql, Integer.class), count -> count != null && count == expected);
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }
}
