package dev.dispatch.console;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.util.HtmlUtils;

/**
 * The console's one HTML page, served at each of its addresses so that a deep link works on reload; its scripts read
 * the address and render the view. It carries the console's base address, the CSRF token and whether actions are
 * offered, in {@code <meta>} tags: the page runs no inline script, under a strict Content-Security-Policy.
 */
final class ConsolePage {

    /** Scripts, styles, images and fetches from the console's own origin only; nothing inline, no frames. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final String template;

    private final ConsoleSettings settings;

    private final ConsoleAccess access;

    ConsolePage(ConsoleSettings settings, ConsoleAccess access) {
        this.settings = settings;
        this.access = access;
        try (InputStream in = new ClassPathResource("dev/dispatch/console/index.html").getInputStream()) {
            this.template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException("The console's page is missing from the jar", ex);
        }
    }

    ServerResponse render(ServerRequest request) {
        HttpServletRequest servlet = request.servletRequest();
        RequestSecurity.Csrf csrf = RequestSecurity.csrf(servlet);
        Map<String, String> values = Map.of(
                "base",
                servlet.getContextPath() + this.settings.path(),
                "csrf-header",
                (csrf != null) ? csrf.headerName() : "",
                "csrf-token",
                (csrf != null) ? csrf.token() : "",
                "write-operations",
                Boolean.toString(this.access.writeOperations()),
                "refresh-millis",
                Long.toString(this.settings.refreshInterval().toMillis()),
                "page-size",
                Integer.toString(this.settings.pageSize()));
        String html = this.template;
        for (Map.Entry<String, String> value : values.entrySet()) {
            html = html.replace("{{" + value.getKey() + "}}", HtmlUtils.htmlEscape(value.getValue()));
        }
        return ServerResponse.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .headers(ConsolePage::secure)
                .body(html);
    }

    /** Headers of every console response: no sniffing, no caching of live data, no referrer, no framing. */
    static void secure(org.springframework.http.HttpHeaders headers) {
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.setCacheControl("no-store");
    }
}
