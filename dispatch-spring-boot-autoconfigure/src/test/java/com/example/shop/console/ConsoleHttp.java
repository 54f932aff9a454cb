package com.example.shop.console;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP client against the test server's console. */
final class ConsoleHttp {

    private final HttpClient client = HttpClient.newHttpClient();

    private final JsonMapper json = JsonMapper.builder().build();

    private final int port;

    ConsoleHttp(int port) {
        this.port = port;
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    Response post(String path, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    Response post(String path, String body) {
        return post(path, "application/json", body, Map.of());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + this.port + path);
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            boolean isJson = body != null && (body.startsWith("{") || body.startsWith("["));
            return new Response(
                    response.statusCode(),
                    isJson ? this.json.readTree(body) : null,
                    body,
                    response.headers().map());
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    record Response(int status, JsonNode json, String body, Map<String, java.util.List<String>> headers) {

        String header(String name) {
            return this.headers.entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }
}
