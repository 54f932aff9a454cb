package com.example.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven through chromedriver, both from the distribution's packages ({@code chromium},
 * {@code chromium-driver}; {@code .ci/run} installs them). A test that needs it is skipped, with the reason, where
 * either is missing. Waits are explicit and for positive conditions only.
 */
public final class Browser implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ChromeDriver driver;

    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts a headless Chromium with a fresh profile, or skips the test if Chromium or chromedriver is missing. */
    public static Browser start(int width, int height) throws Exception {
        String chromium = find("CHROME_BIN", "chromium", "chromium-browser", "google-chrome");
        String chromedriver = find("CHROMEDRIVER", "chromedriver");
        assumeTrue(
                chromium != null && chromedriver != null,
                "Chromium or chromedriver is not installed (apt-get install chromium chromium-driver): browser tests"
                        + " skipped");
        Path profile = Files.createTempDirectory("dispatch-chromium");
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
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .build();
        return new Browser(new ChromeDriver(service, options), profile);
    }

    private static String find(String variable, String... names) {
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

    public WebDriver driver() {
        return this.driver;
    }

    public void open(String url) {
        this.driver.get(url);
    }

    /** Waits until the condition holds (elements found again on each try, so a live refresh does not disturb it). */
    public <T> T await(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(this.driver, WAIT)
                .ignoring(StaleElementReferenceException.class)
                .withMessage(what)
                .until(condition);
    }

    /** Waits for an element to be there and clicks it, trying again if a refresh replaced it meanwhile. */
    public void click(By locator) {
        await("clickable " + locator, driver -> {
            List<WebElement> found = driver.findElements(locator);
            if (found.isEmpty() || !found.get(0).isDisplayed() || !found.get(0).isEnabled()) {
                return null;
            }
            found.get(0).click();
            return true;
        });
    }

    public String text(By locator) {
        return await("text of " + locator, driver -> {
            List<WebElement> found = driver.findElements(locator);
            return found.isEmpty() ? null : found.get(0).getText();
        });
    }

    /** What the page logged to its console, e.g. a Content-Security-Policy violation. */
    public List<String> consoleMessages() {
        return this.driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .toList();
    }

    @Override
    public void close() throws Exception {
        try {
            this.driver.quit();
        } finally {
            org.springframework.util.FileSystemUtils.deleteRecursively(this.profile);
        }
    }
}
