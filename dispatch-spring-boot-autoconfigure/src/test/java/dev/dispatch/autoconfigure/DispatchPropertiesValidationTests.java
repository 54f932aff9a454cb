package dev.dispatch.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** Every {@code dispatch.*} setting out of its range stops the startup with the property and its allowed range. */
class DispatchPropertiesValidationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class,
                    TransactionAutoConfiguration.class,
                    JacksonAutoConfiguration.class,
                    DispatchAutoConfiguration.class,
                    DispatchOperatorAccessAutoConfiguration.class,
                    DispatchConsoleAutoConfiguration.class))
            .withUserConfiguration(ConsoleSettings.class)
            .withPropertyValues(
                    "spring.datasource.url=jdbc:h2:mem:validation-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            dispatch.workers                | 0      | must be between 1 and 10000
            dispatch.workers                | -4     | must be between 1 and 10000
            dispatch.poll-interval          | 0ms    | must be a positive duration
            dispatch.lease-duration         | 200ms  | must be at least 1s (the heartbeat renews it every third)
            dispatch.call-timeout           | -1s    | must be a positive duration
            dispatch.timeout                | -1s    | must be zero or a positive duration
            dispatch.concurrency            | -1     | must be at least 0
            dispatch.queue-capacity         | 0      | must be between 1 and 10000000
            dispatch.claim-ahead            | -1     | must be between 0 and 100000
            dispatch.shutdown-grace-period  | -5s    | must be zero or a positive duration
            dispatch.max-payload-size       | 0B     | must be a positive size
            dispatch.max-calls-per-step     | 0      | must be between 1 and 10000000
            dispatch.retry.max-attempts     | 0      | must be between 1 and 1000000
            dispatch.retry.initial-backoff  | -1ms   | must be zero or a positive duration
            dispatch.retry.max-backoff      | 10ms   | must be at least dispatch.retry.initial-backoff
            dispatch.retry.multiplier       | 0.5    | must be a finite number of at least 1.0
            dispatch.retention.succeeded    | -1d    | must be zero or a positive duration
            dispatch.retention.failed       | -1d    | must be zero or a positive duration
            dispatch.retention.batch-size   | 0      | must be between 1 and 10000
            dispatch.actuator.page-size     | 0      | must be between 1 and 1000
            dispatch.console.page-size      | 5000   | must be between 1 and 1000
            dispatch.console.bulk-limit     | 0      | must be between 1 and 1000000
            dispatch.console.refresh-interval | 0ms  | must be a positive duration
            dispatch.jdbc.platform          | oracle | must be one of h2, postgresql, mysql (MariaDB uses mysql)
            dispatch.jdbc.platform          | mariadb | must be one of h2, postgresql, mysql (MariaDB uses mysql)
            """)
    void aSettingOutOfRangeStopsTheStartupNamingThePropertyAndItsRange(String property, String value, String range) {
        this.runner.withPropertyValues(property + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new DispatchPropertiesFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains(property + " = '" + value + "': " + range);
            assertThat(analysis.getAction()).contains("docs/configuration.md");
        });
    }

    @Test
    void aNodeIdLongerThanItsColumnStopsTheStartup() {
        String nodeId = "n".repeat(300);
        this.runner.withPropertyValues("dispatch.node-id=" + nodeId).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new DispatchPropertiesFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription())
                    .contains("dispatch.node-id")
                    .contains("must be at most 255 characters (the length of the lease_owner column), not 300");
        });
    }

    @Test
    void theAnalysisListsEveryBadSettingAtOnce() {
        this.runner
                .withPropertyValues("dispatch.workers=0", "dispatch.poll-interval=0ms")
                .run(context -> {
                    FailureAnalysis analysis =
                            new DispatchPropertiesFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .startsWith("Invalid Dispatch settings:")
                            .contains("dispatch.workers = '0'")
                            .contains("dispatch.poll-interval = '0ms'");
                });
    }

    @Test
    void theAnalysisSaysWhereEachSettingWasSetNestedOnesToo() {
        this.runner
                .withPropertyValues(
                        "dispatch.workers=0", "dispatch.retry.max-attempts=0", "dispatch.retention.batch-size=0")
                .run(context -> {
                    FailureAnalysis analysis =
                            new DispatchPropertiesFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("dispatch.workers = '0': must be between 1 and 10000 (set in"
                                    + " \"dispatch.workers\" from property source")
                            .contains("dispatch.retry.max-attempts = '0': must be between 1 and 1000000 (set in"
                                    + " \"dispatch.retry.max-attempts\" from property source")
                            .contains("dispatch.retention.batch-size = '0': must be between 1 and 10000 (set in"
                                    + " \"dispatch.retention.batch-size\" from property source");
                });
    }

    @Test
    void aPlatformOfItsOwnScriptIsAccepted() {
        // with a schema script of the application's own, the platform only fills its @@platform@@
        this.runner
                .withPropertyValues(
                        "dispatch.jdbc.platform=custom",
                        "dispatch.jdbc.schema=classpath:dev/dispatch/store/schema-h2.sql",
                        "dispatch.jdbc.initialize-schema=never")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theDefaultsAreValid() {
        this.runner.run(context -> assertThat(context).hasNotFailed());
    }

    /** The console's settings are bound (and checked) only in a web application: bound here without one. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DispatchConsoleProperties.class)
    static class ConsoleSettings {}
}
