package dev.dispatch.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * After a typical run (not timed): the application's own endpoint answers, and the Prometheus scrape shows the
 * engine's meters (the {@code dispatch.function} observation's timer and the calls counter), unless turned off.
 */
final class TypicalChecks {

    private TypicalChecks() {}

    static Result scrape(ConfigurableApplicationContext context, TypicalApplication typical, Result result)
            throws Exception {
        String port = context.getEnvironment().getProperty("local.server.port");
        HttpClient http = HttpClient.newHttpClient();
        String count = get(http, "http://127.0.0.1:" + port + "/orders/count");
        String scrape = get(http, "http://127.0.0.1:" + port + "/actuator/prometheus");
        boolean meters = scrape.contains("dispatch_function_seconds_count") && scrape.contains("dispatch_calls_total");
        boolean expected = !typical.metrics() || typical.has("noobs") ? true : meters;
        String note =
                result.note() + ",orders=" + count.trim() + ",prometheus=" + (meters ? "dispatch-meters" : "none");
        if (!expected) {
            System.err.println("the Prometheus scrape lacks the engine's meters:\n" + scrape);
        }
        return new Result(
                result.config(),
                result.seconds(),
                result.p50Ms(),
                result.p99Ms(),
                result.cpuMs(),
                result.heapMb(),
                result.liveMb(),
                result.verified() && expected,
                note,
                result.extra(),
                result.warm());
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? response.body() : "HTTP " + response.statusCode();
    }
}
