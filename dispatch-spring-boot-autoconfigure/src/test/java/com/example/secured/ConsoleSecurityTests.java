package com.example.secured;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationStatus;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console behind the application's own Spring Security: only operators reach it, its page carries the CSRF token,
 * an action without the token is refused and one with it is done; values are shown to the roles allowed only.
 */
@SpringBootTest(
        classes = SecuredApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "dispatch.console.enabled=true",
            "dispatch.actuator.write-operations=true",
            "dispatch.actuator.show-values=when-authorized",
            "dispatch.actuator.roles=OPS"
        })
class ConsoleSecurityTests {

    private static final Pattern META =
            Pattern.compile("<meta name=\"dispatch-csrf-(header|token)\" content=\"([^\"]*)\">");

    @LocalServerPort
    int port;

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    SecuredApplication.Imports imports;

    private final HttpClient client =
            HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

    @Test
    void onlyOperatorsReachTheConsoleAndItsActionsCarryTheCsrfToken() throws Exception {
        DispatchId id = this.dispatcher.dispatch(() -> this.imports.load("ledger.csv"));
        assertThat(this.dispatcher.awaitCompletion(id, Duration.ofSeconds(20)).status())
                .isEqualTo(InvocationStatus.FAILED);

        assertThat(send(get("/dispatch", null)).statusCode()).isEqualTo(401);
        assertThat(send(get("/dispatch", "dev:dev-secret")).statusCode()).isEqualTo(403);

        HttpResponse<String> page = send(get("/dispatch/runs/" + id.value(), "ops:ops-secret"));
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher meta = META.matcher(page.body());
        String header = null;
        String token = null;
        while (meta.find()) {
            if (meta.group(1).equals("header")) {
                header = meta.group(2);
            } else {
                token = meta.group(2);
            }
        }
        assertThat(header).isEqualTo("X-CSRF-TOKEN");
        assertThat(token).isNotBlank();

        String retry = "/dispatch/api/invocations/" + id.value() + "/retry";
        assertThat(send(post(retry, "ops:ops-secret").build()).statusCode())
                .as("without the CSRF token")
                .isEqualTo(403);
        assertThat(this.dispatcher.describe(id).orElseThrow().status()).isEqualTo(InvocationStatus.FAILED);

        this.imports.fix();
        HttpResponse<String> retried =
                send(post(retry, "ops:ops-secret").header(header, token).build());
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(retried.body()).contains("\"retried\":true");
        assertThat(this.dispatcher.awaitCompletion(id, Duration.ofSeconds(20)).status())
                .isEqualTo(InvocationStatus.SUCCEEDED);

        assertThat(send(get("/dispatch/api/invocations/" + id.value(), "ops:ops-secret"))
                        .body())
                .as("values shown to the role allowed")
                .contains("ledger.csv");
    }

    private HttpRequest get(String path, String credentials) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (credentials != null) {
            request.header("Authorization", basic(credentials));
        }
        return request.build();
    }

    private HttpRequest.Builder post(String path, String credentials) {
        return HttpRequest.newBuilder(uri(path))
                .header("Authorization", basic(credentials))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return this.client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + this.port + path);
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
