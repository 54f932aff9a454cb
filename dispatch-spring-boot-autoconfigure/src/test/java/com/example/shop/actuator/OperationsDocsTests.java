package com.example.shop.actuator;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.shop.Approvals;
import com.example.shop.ShopApplication;
import com.example.shop.console.Reports;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * docs/operations.md shows the endpoint's answers as JSON: each example (a block after {@code <!-- example: name -->})
 * has the fields the real answer has, at every level, so the page cannot drift from the code.
 */
@SpringBootTest(
        classes = ShopApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "management.endpoints.web.exposure.include=dispatch,health",
            "management.endpoint.health.show-details=always",
            "management.endpoint.dispatch.access=unrestricted"
        })
class OperationsDocsTests {

    private static final Pattern EXAMPLE =
            Pattern.compile("<!-- example: ([a-z-]+) -->\\s*```json\\n(.*?)```", Pattern.DOTALL);

    @LocalServerPort
    int port;

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Reports reports;

    @Autowired
    Approvals approvals;

    @Test
    void everyJsonExampleHasTheFieldsOfTheRealAnswer() throws IOException {
        Http http = new Http(this.port);
        this.reports.breakPart(2);
        DispatchId failed = this.dispatcher.dispatch(() -> this.reports.build("docs", 3));
        this.dispatcher.awaitCompletion(failed, Duration.ofSeconds(20));
        this.reports.fix(2);

        Map<String, JsonNode> real = new LinkedHashMap<>();
        real.put("summary", http.get("/actuator/dispatch?limit=1").json());
        real.put("invocation", http.get("/actuator/dispatch/" + failed.value()).json());
        real.put("health", http.get("/actuator/health/dispatch").json());
        String child = real.get("invocation").at("/steps/0/children/2/id").asString();
        real.put(
                "retry",
                http.post("/actuator/dispatch/" + child, "{\"action\":\"retry\"}")
                        .json());
        real.put(
                "cancel",
                http.post("/actuator/dispatch/" + failed.value(), "{\"action\":\"cancel\"}")
                        .json());

        String key = "approval-docs";
        DispatchId waiting = this.dispatcher.dispatch(() -> this.approvals.decide(key, 3_600_000));
        this.dispatcher.signal("bounce-docs", "mailbox full");
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> !http.get("/actuator/dispatch/signals")
                        .json()
                        .get("waits")
                        .isEmpty());
        real.put("signals", http.get("/actuator/dispatch/signals").json());
        real.put("schedules", http.get("/actuator/dispatch/schedules").json());
        real.put(
                "schedule-action",
                http.post("/actuator/dispatch/schedules/yearEnd.closeTheBooks", "{\"action\":\"pause\"}")
                        .json());
        http.post("/actuator/dispatch/schedules/yearEnd.closeTheBooks", "{\"action\":\"resume\"}");
        this.dispatcher.signal(key, new Approvals.Approval("ada", true));
        this.dispatcher.awaitCompletion(waiting, Duration.ofSeconds(20));

        Path out = Path.of("target", "operations-examples");
        Files.createDirectories(out);
        JsonMapper json = JsonMapper.builder().build();
        for (Map.Entry<String, JsonNode> entry : real.entrySet()) {
            Files.writeString(
                    out.resolve(entry.getKey() + ".json"),
                    json.writerWithDefaultPrettyPrinter().writeValueAsString(entry.getValue()));
        }

        String page = Files.readString(docs().resolve("operations.md"));
        Map<String, JsonNode> documented = new LinkedHashMap<>();
        Matcher matcher = EXAMPLE.matcher(page);
        while (matcher.find()) {
            documented.put(matcher.group(1), json.readTree(matcher.group(2)));
        }
        assertThat(documented.keySet()).as("examples in docs/operations.md").containsAll(real.keySet());
        real.forEach((name, answer) -> assertThat(fields(documented.get(name), ""))
                .as(
                        "the fields of the '%s' example in docs/operations.md (the real answer is in %s)",
                        name, out.resolve(name + ".json"))
                .isEqualTo(fields(answer, "")));
    }

    /** The repository's docs/, from this module or from compat/engine, which builds the same tests. */
    private static Path docs() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs").resolve("operations.md"))) {
                return dir.resolve("docs");
            }
        }
        throw new IllegalStateException(
                "docs/operations.md not found above " + Path.of("").toAbsolutePath());
    }

    /** Every field path: objects by name, arrays by their first element. */
    private static TreeSet<String> fields(JsonNode node, String at) {
        TreeSet<String> paths = new TreeSet<>();
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String path = at + "/" + field.getKey();
                paths.add(path);
                // keyed by status or function: which keys there are depends on the data
                if (!path.equals("/byFunction")
                        && !path.equals("/byStatus")
                        && !path.equals("/concurrency")
                        && !path.equals("/rateLimits")
                        && !path.equals("/concurrencyKeys")) {
                    paths.addAll(fields(field.getValue(), path));
                }
            }
        } else if (node.isArray() && !node.isEmpty()) {
            paths.addAll(fields(node.get(0), at + "/0"));
        }
        return paths;
    }
}
