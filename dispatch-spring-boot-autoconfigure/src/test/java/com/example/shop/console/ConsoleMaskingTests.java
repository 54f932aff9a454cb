package com.example.shop.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.shop.ShopApplication;
import com.example.support.Browser;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * With the defaults (values never shown, no write operations) the console shows an invocation's values only as their
 * size, nowhere in its page or its answers, and offers and accepts no action.
 */
@SpringBootTest(
        classes = ShopApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "dispatch.console.enabled=true")
class ConsoleMaskingTests {

    static final String SECRET = "iban-DE44-5001-0517-5407-3249-31";

    @LocalServerPort
    int port;

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Reports reports;

    @Autowired
    com.example.shop.Operations operations;

    @Autowired
    com.example.shop.Ledger ledger;

    @Test
    void aPageWithValuesHiddenNeverContainsAnArgumentsValue() throws Exception {
        DispatchId id = this.dispatcher.dispatch(() -> this.reports.sign(SECRET));
        this.dispatcher.awaitCompletion(id, Duration.ofSeconds(20));

        try (Browser browser = Browser.start(1280, 800)) {
            browser.open("http://localhost:" + this.port + "/dispatch/runs/" + id.value());
            assertThat(browser.text(By.id("function"))).isEqualTo("reports.sign");
            String arguments = browser.text(By.id("arguments"));
            assertThat(arguments).startsWith("hidden (" + ("[\"" + SECRET + "\"]").length() + " characters)");
            assertThat(browser.text(By.id("result"))).startsWith("hidden (");
            assertThat(browser.driver().getPageSource()).doesNotContain(SECRET).doesNotContain("DE44");
            assertThat(browser.driver().findElements(By.cssSelector("button.retry, button.cancel")))
                    .isEmpty();

            browser.open("http://localhost:" + this.port + "/dispatch");
            browser.await(
                    "the run listed",
                    d -> !d.findElements(By.cssSelector("tr[data-id='" + id.value() + "']"))
                            .isEmpty());
            assertThat(browser.driver().getPageSource()).doesNotContain(SECRET);
        }
    }

    @Test
    void errorMessagesThatQuoteAValueAreMaskedInEveryAnswer() {
        this.ledger.failNext("import:" + SECRET, 1);
        DispatchId id = this.dispatcher.dispatch(() -> this.operations.importFile(SECRET));
        this.dispatcher.awaitCompletion(id, Duration.ofSeconds(20));
        ConsoleHttp http = new ConsoleHttp(this.port);

        for (String path :
                new String[] {"/dispatch/api/invocations/" + id.value(), "/dispatch/api/runs", "/dispatch/api/failures"
                }) {
            ConsoleHttp.Response response = http.get(path);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).doesNotContain(SECRET);
        }
        ConsoleHttp.Response invocation = http.get("/dispatch/api/invocations/" + id.value());
        assertThat(invocation.json().at("/errorMessage").asString()).isEqualTo("******");
        assertThat(invocation.json().at("/errorType").asString()).isEqualTo("dev.dispatch.PermanentFailureException");
    }

    @Test
    void theRunsFilterOnErrorTextCannotReadAMaskedMessageBackButStillFindsTheErrorType() {
        String secret = "acct-" + java.util.UUID.randomUUID();
        this.ledger.failNext("import:" + secret, 1);
        DispatchId id = this.dispatcher.dispatch(() -> this.operations.importFile(secret));
        this.dispatcher.awaitCompletion(id, Duration.ofSeconds(20));
        ConsoleHttp http = new ConsoleHttp(this.port);

        // a filter that matched the hidden message would tell its text a guess at a time
        ConsoleHttp.Response byMessage = http.get("/dispatch/api/runs?error=" + secret.substring(0, 12));
        assertThat(byMessage.status()).isEqualTo(200);
        assertThat(byMessage.body()).doesNotContain(id.value());

        ConsoleHttp.Response byType =
                http.get("/dispatch/api/runs?error=PermanentFailure&function=operations.importFile");
        assertThat(byType.status()).isEqualTo(200);
        assertThat(byType.body()).contains(id.value());
    }

    @Test
    void theAnswersWithValuesHiddenNeverContainAnArgumentsValueAndActionsAreRefused() {
        DispatchId id = this.dispatcher.dispatch(() -> this.reports.sign(SECRET));
        this.dispatcher.awaitCompletion(id, Duration.ofSeconds(20));
        ConsoleHttp http = new ConsoleHttp(this.port);

        for (String path : new String[] {
            "/dispatch/api/invocations/" + id.value(),
            "/dispatch/api/runs",
            "/dispatch/api/overview",
            "/dispatch/api/failures"
        }) {
            ConsoleHttp.Response response = http.get(path);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).doesNotContain(SECRET);
        }
        ConsoleHttp.Response invocation = http.get("/dispatch/api/invocations/" + id.value());
        assertThat(invocation.json().at("/arguments/masked").asBoolean()).isTrue();
        assertThat(invocation.json().at("/arguments/json").isNull()).isTrue();

        assertThat(http.post("/dispatch/api/invocations/" + id.value() + "/cancel", "{}")
                        .status())
                .isEqualTo(403);
        assertThat(http.post("/dispatch/api/bulk", "{\"action\":\"retry\",\"dryRun\":true}")
                        .status())
                .isEqualTo(403);
    }
}
