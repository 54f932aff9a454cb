package com.example.shop.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.shop.Approvals;
import com.example.shop.Calculator;
import com.example.shop.ShopApplication;
import com.example.support.Browser;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console in headless Chromium, as an operator uses it: the runs list, a filter, one run's tree with its step's
 * progress and paged calls, a failed call retried until it succeeds, and the run itself retried after.
 */
@SpringBootTest(
        classes = ShopApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "dispatch.console.enabled=true",
            "dispatch.actuator.write-operations=true",
            "dispatch.console.refresh-interval=300ms"
        })
class ConsoleBrowserTests {

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

    Browser browser;

    @BeforeEach
    void startBrowser() throws Exception {
        this.browser = Browser.start(1280, 800);
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (this.browser != null) {
            this.browser.close();
        }
    }

    @Test
    void anOperatorFiltersOpensARunSeesItsTreeAndRetriesTheFailedCallUntilItSucceeds() {
        this.reports.breakPart(70);
        DispatchId report = this.dispatcher.dispatch(() -> this.reports.build("quarterly", 120));
        DispatchId sum = this.dispatcher.dispatch(() -> this.calculator.add(2, 3));
        assertThat(this.dispatcher
                        .awaitCompletion(report, Duration.ofSeconds(30))
                        .status())
                .isEqualTo(InvocationStatus.FAILED);
        this.dispatcher.awaitCompletion(sum, Duration.ofSeconds(30));

        this.browser.open(url("/dispatch"));
        this.browser.await("both runs listed", d -> row(report) != null && row(sum) != null);
        assertThat(row(report).getText()).contains("reports.build", "FAILED");
        assertThat(row(sum).getText()).contains("calculator.add", "SUCCEEDED");

        this.browser.click(By.cssSelector("nav a[data-nav='failures']"));
        this.browser.await(
                "the failures grouped",
                d -> !d.findElements(By.cssSelector("tr[data-function='reports.renderPart']"))
                        .isEmpty());
        assertThat(this.browser.text(By.cssSelector("tr[data-function='reports.renderPart']")))
                .as("values are not shown: the latest message is masked like them")
                .contains("dev.dispatch.PermanentFailureException", "******")
                .doesNotContain("part 70 has no data source");
        assertThat(this.browser.text(By.cssSelector("tr[data-function='reports.build']")))
                .contains("dev.dispatch.CallFailedException");
        this.browser.click(By.cssSelector("nav a[data-nav='runs']"));

        this.browser.click(By.id("filter-status"));
        new Select(this.browser.driver().findElement(By.id("filter-status"))).selectByValue("FAILED");
        this.browser.await("only failed runs listed", d -> row(sum) == null && row(report) != null);
        assertThat(this.browser.driver().getCurrentUrl()).endsWith("/dispatch?status=FAILED");

        this.browser.click(By.cssSelector("tr[data-id='" + report.value() + "'] a.run-link"));
        this.browser.await("the run's page", d -> d.getCurrentUrl().endsWith("/dispatch/runs/" + report.value()));
        assertThat(this.browser.text(By.id("function"))).isEqualTo("reports.build");
        this.browser.await("the gather's progress", d -> stepText(0).contains("120 / 120, 1 failed"));

        this.browser.click(By.cssSelector("li.step[data-step='0'] .toggle"));
        this.browser.await("the first page of calls", d -> calls().size() == 50);
        assertThat(calls().get(0).getText()).contains("reports.renderPart", "#0", "SUCCEEDED");
        this.browser.click(By.cssSelector("li.step[data-step='0'] .pager .next"));
        this.browser.await(
                "the second page of calls", d -> calls().get(0).getText().contains("#50"));
        this.browser.click(By.cssSelector("li.step[data-step='0'] [data-filter='FAILED']"));
        this.browser.await(
                "only the failed call",
                d -> calls().size() == 1 && calls().get(0).getText().contains("#70"));
        assertThat(calls().get(0).getText()).contains("FAILED", "******").doesNotContain("part 70 has no data source");

        this.reports.fix(70);
        this.browser.click(By.cssSelector("li.call[data-status='FAILED'] button.retry-call"));
        this.browser.click(By.id("confirm-yes"));
        this.browser.await(
                "the retry reported",
                d -> d.findElement(By.id("notice")).getText().contains("pending again"));
        this.browser.click(By.cssSelector("li.step[data-step='0'] [data-filter='all']"));
        this.browser.click(By.cssSelector("li.step[data-step='0'] .pager .next"));
        this.browser.await(
                "the retried call succeeded",
                d -> calls().stream()
                        .anyMatch(call -> call.getText().contains("#70")
                                && "SUCCEEDED".equals(call.getAttribute("data-status"))));
        this.browser.await(
                "the step complete",
                d -> stepText(0).contains("120 / 120") && !stepText(0).contains("failed"));

        this.browser.click(By.cssSelector("button.retry"));
        this.browser.click(By.id("confirm-yes"));
        this.browser.await(
                "the run succeeded", d -> "SUCCEEDED".equals(this.browser.text(By.cssSelector("#status .status"))));
        assertThat(this.dispatcher.describe(report).orElseThrow().status()).isEqualTo(InvocationStatus.SUCCEEDED);

        this.browser.open(url("/dispatch/runs/" + report.value()));
        assertThat(this.browser.text(By.id("function")))
                .as("a deep link works on reload")
                .isEqualTo("reports.build");
        assertThat(this.browser.consoleMessages())
                .as("nothing refused by the Content-Security-Policy, no script error")
                .noneMatch(message -> message.contains("Content Security Policy") || message.contains("Uncaught"));
    }

    @Test
    void anOperatorSeesTheSchedulesAndAWaitPausesAScheduleResumesItAndRunsItNow() {
        String key = "approval-browser-" + UUID.randomUUID();
        DispatchId waiting = this.dispatcher.dispatch(() -> this.approvals.decide(key, 3_600_000));

        this.browser.open(url("/dispatch"));
        this.browser.click(By.cssSelector("nav a[data-nav='schedules']"));
        this.browser.await("the schedules page", d -> d.getCurrentUrl().endsWith("/dispatch/schedules"));
        By yearEnd = By.cssSelector("tr[data-schedule='yearEnd.closeTheBooks']");
        this.browser.await("the shop's schedule", d -> !d.findElements(yearEnd).isEmpty());
        assertThat(this.browser.text(yearEnd)).contains("0 0 3 1 1 *", "UTC", "Active");
        this.browser.await(
                "the wait for the approval",
                d -> !d.findElements(By.cssSelector("#waits tr[data-key='" + key + "']"))
                        .isEmpty());
        assertThat(this.browser.text(By.cssSelector("#waits tr[data-key='" + key + "']")))
                .contains("approvals.decide");

        this.browser.click(By.cssSelector("tr[data-schedule='yearEnd.closeTheBooks'] button.pause"));
        this.browser.click(By.id("confirm-yes"));
        this.browser.await("paused", d -> this.browser.text(yearEnd).contains("Paused"));
        this.browser.click(By.cssSelector("tr[data-schedule='yearEnd.closeTheBooks'] button.resume"));
        this.browser.click(By.id("confirm-yes"));
        this.browser.await("active again", d -> this.browser.text(yearEnd).contains("Active"));
        this.browser.click(By.cssSelector("tr[data-schedule='yearEnd.closeTheBooks'] button.trigger"));
        this.browser.click(By.id("confirm-yes"));
        this.browser.await("its run, finished", d -> this.browser.text(yearEnd).contains("SUCCEEDED"));

        this.browser.open(url("/dispatch/schedules"));
        this.browser.await(
                "a deep link works on reload", d -> !d.findElements(yearEnd).isEmpty());
        this.dispatcher.signal(key, new Approvals.Approval("ada", true));
        this.dispatcher.awaitCompletion(waiting, Duration.ofSeconds(20));
        this.browser.await(
                "no wait left",
                d -> d.findElements(By.cssSelector("#waits tr[data-key='" + key + "']"))
                        .isEmpty());
        assertThat(this.browser.consoleMessages())
                .noneMatch(message -> message.contains("Content Security Policy") || message.contains("Uncaught"));
    }

    @Test
    void anOperatorSeesEachFunctionsLimits() {
        this.browser.open(url("/dispatch"));
        this.browser.click(By.cssSelector("nav a[data-nav='limits']"));
        this.browser.await("the limits page", d -> d.getCurrentUrl().endsWith("/dispatch/limits"));
        By rated = By.cssSelector("#rates tr[data-function='rated.fivePerSecond']");
        this.browser.await(
                "the rate-limited function", d -> !d.findElements(rated).isEmpty());
        assertThat(this.browser.text(rated)).contains("5/1s");
        By keyed = By.cssSelector("#keys tr[data-function='crawler.fetch']");
        this.browser.await("the keyed function", d -> !d.findElements(keyed).isEmpty());
        assertThat(this.browser.text(keyed)).contains("#p0.domain");
        this.browser.open(url("/dispatch/limits"));
        this.browser.await(
                "a deep link works on reload", d -> !d.findElements(rated).isEmpty());
        assertThat(this.browser.consoleMessages())
                .noneMatch(message -> message.contains("Content Security Policy") || message.contains("Uncaught"));
    }

    private String url(String path) {
        return "http://localhost:" + this.port + path;
    }

    private WebElement row(DispatchId id) {
        List<WebElement> rows = this.browser.driver().findElements(By.cssSelector("tr[data-id='" + id.value() + "']"));
        return rows.isEmpty() ? null : rows.get(0);
    }

    private String stepText(int step) {
        return this.browser
                .driver()
                .findElement(By.cssSelector("li.step[data-step='" + step + "'] .step-head"))
                .getText();
    }

    private List<WebElement> calls() {
        return this.browser.driver().findElements(By.cssSelector("li.step[data-step='0'] li.call"));
    }
}
