package dev.dispatch.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.engine.Scheduler;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

/** Workers fitted to Boot's connection pool: a starter added to an application with Boot's defaults never starves. */
@ExtendWith(OutputCaptureExtension.class)
class WorkerSizingTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class,
                    TransactionAutoConfiguration.class,
                    JacksonAutoConfiguration.class,
                    DispatchAutoConfiguration.class))
            .withPropertyValues(
                    "spring.datasource.url=jdbc:h2:mem:workers-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @Test
    void withBootsDefaultsTheWorkersLeaveThreeOfHikarisTenConnections() {
        this.runner.run(context ->
                assertThat(context.getBean(Scheduler.class).workers()).isEqualTo(10 - WorkerSizing.RESERVED));
    }

    @Test
    void aLargePoolGetsTheDefaultWorkers() {
        this.runner
                .withPropertyValues("spring.datasource.hikari.maximum-pool-size=50")
                .run(context ->
                        assertThat(context.getBean(Scheduler.class).workers()).isEqualTo(WorkerSizing.DEFAULT_WORKERS));
    }

    @Test
    void aTinyPoolStillGetsOneWorker() {
        this.runner
                .withPropertyValues("spring.datasource.hikari.maximum-pool-size=2")
                .run(context ->
                        assertThat(context.getBean(Scheduler.class).workers()).isEqualTo(1));
    }

    @Test
    void workersSetBeyondThePoolAreKeptWithAWarningThatGivesTheNumbers(CapturedOutput output) {
        this.runner.withPropertyValues("dispatch.workers=16").run(context -> {
            assertThat(context.getBean(Scheduler.class).workers()).isEqualTo(16);
            assertThat(output)
                    .contains("dispatch.workers=16 with a connection pool of 10")
                    .contains("spring.datasource.hikari.maximum-pool-size=19");
        });
    }

    @Test
    void workersThatFitThePoolGiveNoWarning(CapturedOutput output) {
        this.runner.withPropertyValues("dispatch.workers=7").run(context -> {
            assertThat(context.getBean(Scheduler.class).workers()).isEqualTo(7);
            assertThat(output).doesNotContain("with a connection pool of");
        });
    }
}
