package dev.dispatch.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.sample.notify.EmailNotifications;
import dev.dispatch.sample.runs.RunQueries;
import dev.dispatch.sample.runs.Workflow;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * The sample as the README starts it, with its console on: headless Chromium (Debian's chromium and chromedriver)
 * shows both seed workflows' runs with their status, and the notifyAllUsers run's page lists every
 * sendEmailNotification call. Takes the README's screenshots on the way (target/console-*.png).
 */
class ConsoleTests {

    @Test
    void theConsoleListsBothWorkflowsRunsAndARunsPageListsItsCalls() throws Exception {
        String chromium = executable("CHROME_BIN", "chromium", "chromium-browser", "google-chrome");
        String chromedriver = executable("CHROMEDRIVER", "chromedriver");
        assumeTrue(
                chromium != null && chromedriver != null,
                "Chromium or chromedriver is not installed (apt-get install chromium chromium-driver): skipped");
        Path dataDir = TestEnvironment.newDataDir();
        try (ConfigurableApplicationContext app = SpringApplication.run(
                SampleApplication.class,
                "--spring.profiles.active=test",
                "--sample.data-dir=" + dataDir.toAbsolutePath(),
                "--sample.mail.port=" + TestEnvironment.freePort())) {
            RunQueries queries = app.getBean(RunQueries.class);
            Dispatcher dispatcher = app.getBean(Dispatcher.class);
            DispatchId notify = awaitFinished(queries, Workflow.NOTIFY_ALL_USERS);
            DispatchId invoices = awaitFinished(queries, Workflow.GENERATE_INVOICES);
            String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port") + "/dispatch";

            ChromeDriver browser = start(chromium, chromedriver, dataDir.resolve("chromium"));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                wait.ignoring(StaleElementReferenceException.class);
                browser.get(base);
                for (DispatchId run : List.of(notify, invoices)) {
                    String status =
                            dispatcher.describe(run).orElseThrow().status().name();
                    wait.withMessage("run " + run + " listed as " + status)
                            .until(d -> d.findElements(By.cssSelector("tr[data-id='" + run.value() + "']")).stream()
                                    .anyMatch(row -> row.getText().contains(status)));
                }
                assertThat(row(browser, notify)).contains("notifications.notifyAllUsers", "301 / 301");
                assertThat(row(browser, invoices)).contains("invoices.generateInvoices");
                screenshot(browser, "console-runs.png");

                browser.findElement(By.cssSelector("tr[data-id='" + notify.value() + "'] a.run-link"))
                        .click();
                wait.until(d -> d.getCurrentUrl().endsWith("/dispatch/runs/" + notify.value()));
                By batch = By.xpath("//li[contains(@class,'step')][.//span[text()='Step 1 · batch']]");
                wait.withMessage("the batch step with its 300 calls")
                        .until(d -> d.findElement(batch).getText().contains("300 / 300"));
                browser.findElement(batch)
                        .findElement(By.cssSelector(".toggle"))
                        .click();
                List<String> functions = new ArrayList<>();
                while (true) {
                    int from = functions.size();
                    wait.until(d -> {
                        List<WebElement> calls = d.findElement(batch).findElements(By.cssSelector("li.call"));
                        return !calls.isEmpty()
                                && calls.get(0)
                                        .findElement(By.cssSelector(".call-head .mono"))
                                        .getText()
                                        .equals("#" + from);
                    });
                    for (WebElement link : browser.findElement(batch).findElements(By.cssSelector("a.call-link"))) {
                        functions.add(link.getText());
                    }
                    if (functions.size() == from + 50) {
                        screenshotOnce(browser, from, "console-run.png");
                    }
                    WebElement next = browser.findElement(batch).findElement(By.cssSelector(".pager .next"));
                    if (!next.isEnabled()) {
                        break;
                    }
                    next.click();
                }
                assertThat(functions).hasSize(300).containsOnly(EmailNotifications.SEND_EMAIL_NOTIFICATION);

                browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
                browser.get(base);
                wait.until(d -> !d.findElements(By.cssSelector("tr[data-id='" + notify.value() + "']"))
                        .isEmpty());
                screenshot(browser, "console-phone.png");
            } finally {
                browser.quit();
            }
        } finally {
            FileSystemUtils.deleteRecursively(dataDir.resolve("chromium"));
        }
    }

    private static DispatchId awaitFinished(RunQueries queries, Workflow workflow) throws InterruptedException {
        TestEnvironment.await(
                workflow.label() + " started",
                Duration.ofSeconds(60),
                () -> queries.latest(workflow).isPresent());
        DispatchId run = queries.latest(workflow).orElseThrow();
        TestEnvironment.await(
                workflow.label() + " finished",
                Duration.ofSeconds(120),
                () -> queries.progress(run).orElseThrow().finished());
        return run;
    }

    private static String row(ChromeDriver browser, DispatchId run) {
        return browser.findElement(By.cssSelector("tr[data-id='" + run.value() + "']"))
                .getText();
    }

    private static void screenshotOnce(ChromeDriver browser, int from, String name) throws Exception {
        if (from == 0) {
            screenshot(browser, name);
        }
    }

    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        Files.write(Path.of("target", name), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static ChromeDriver start(String chromium, String chromedriver, Path profile) throws Exception {
        Files.createDirectories(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--user-data-dir=" + profile,
                "--window-size=1280,800");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static String executable(String variable, String... names) {
        String configured = System.getenv(variable);
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return configured;
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(names)
                .flatMap(name -> Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst()
                .orElse(null);
    }
}
