package com.example.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The README's quick start, run as a reader runs it: POST the addresses, then look at the run in the actuator. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:async:./target/test-data/quickstart-${random.uuid};WRITE_DELAY=0")
class QuickstartApplicationTests {

    private final HttpClient http = HttpClient.newHttpClient();

    private final JsonMapper json = new JsonMapper();

    @LocalServerPort
    private int port;

    @Autowired
    private Dispatcher dispatcher;

    @Test
    void onboardingSendsOneWelcomePerAddressDurablyAndTheActuatorShowsTheRun() throws Exception {
        HttpResponse<String> started = this.http.send(
                HttpRequest.newBuilder(uri("/onboarding"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("[\"ada@example.com\",\"bo@example.com\"]"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).isEqualTo(202);
        DispatchId id =
                DispatchId.of(this.json.readTree(started.body()).get("id").asString());

        InvocationInfo run = this.dispatcher.awaitCompletion(id, Duration.ofSeconds(30));
        assertThat(run.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.<Integer>result(id)).contains(2);

        HttpResponse<String> shown = this.http.send(
                HttpRequest.newBuilder(uri("/actuator/dispatch/" + id.value())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(shown.statusCode()).isEqualTo(200);
        JsonNode details = this.json.readTree(shown.body());
        assertThat(details.toString()).contains("onboarding.onboard").contains("SUCCEEDED");

        HttpResponse<String> summary = this.http.send(
                HttpRequest.newBuilder(uri("/actuator/dispatch")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(summary.statusCode()).isEqualTo(200);
        assertThat(summary.body()).contains("mailer.sendWelcome");
    }

    @Test
    void aDirectCallFromOutsideAnyFunctionRunsDurablyAndWaitsForItsResult(@Autowired Onboarding onboarding) {
        List<String> emails = List.of(UUID.randomUUID() + "@example.com", UUID.randomUUID() + "@example.com");
        assertThat(onboarding.onboard(emails)).isEqualTo(2);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + this.port + path);
    }
}
