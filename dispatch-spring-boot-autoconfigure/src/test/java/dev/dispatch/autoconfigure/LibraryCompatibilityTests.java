package dev.dispatch.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.TreeNode;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * The starter refuses at startup a library it cannot work with, naming it, the version found and the versions
 * supported, instead of failing every call later (as a Jackson without an API the codec calls once did: every call
 * failed with a {@code NoSuchMethodError} and was retried to exhaustion).
 */
@ExtendWith(OutputCaptureExtension.class)
class LibraryCompatibilityTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class,
                    TransactionAutoConfiguration.class,
                    JacksonAutoConfiguration.class,
                    DispatchAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:compat-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @Test
    void aJacksonThatLacksAnApiTheCodecCallsStopsTheStartupNamingTheLibraryAndVersions() {
        this.runner.withUserConfiguration(IncompatibleJackson.class).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            IncompatibleLibraryException cause = findCause(failure);
            assertThat(cause.library()).isEqualTo("Jackson (tools.jackson.core:jackson-databind)");
            assertThat(cause.found()).isEqualTo(new JsonMapper().version().toString());
            FailureAnalysis analysis = new IncompatibleLibraryFailureAnalyzer().analyze(failure);
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription())
                    .contains("Jackson (tools.jackson.core:jackson-databind) " + cause.found())
                    .contains("NoSuchMethodError")
                    .contains("Jackson 3.0 and later 3.x");
            assertThat(analysis.getAction()).contains("version that your Spring Boot line manages");
        });
    }

    @Test
    void anApplicationWithAnIncompatibleJacksonFailsToStartWithTheAnalysis(CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(IncompatibleApplication.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "spring.datasource.url=jdbc:h2:mem:compat-app-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                        "spring.jmx.enabled=false");
        assertThatThrownBy(application::run).hasRootCauseInstanceOf(NoSuchMethodError.class);
        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("cannot be used by Dispatch")
                .contains("Dispatch for Spring Boot supports Jackson 3.0 and later 3.x");
    }

    @Test
    void theApplicationsOwnJacksonPassesTheRoundTrip() {
        this.runner.run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void versionsOlderThanTheOldestSupportedLineAreRefusedAndNewerOnesAccepted() {
        assertThatThrownBy(() -> LibraryCompatibility.requireAtLeast(
                        "Hibernate ORM", "6.6.13.Final", 7, 1, "Hibernate ORM 7.1 and later 7.x"))
                .isInstanceOf(IncompatibleLibraryException.class)
                .hasMessage("Hibernate ORM 6.6.13.Final cannot be used by Dispatch: it is older than 7.1; Dispatch"
                        + " supports Hibernate ORM 7.1 and later 7.x");
        assertThatThrownBy(() -> LibraryCompatibility.requireAtLeast("Spring Boot", "3.5.7", 4, 0, "4.0.x and 4.1.x"))
                .isInstanceOf(IncompatibleLibraryException.class);
        assertThatCode(() -> LibraryCompatibility.requireAtLeast("Hibernate ORM", "7.1.8.Final", 7, 1, ""))
                .doesNotThrowAnyException();
        assertThatCode(() -> LibraryCompatibility.requireAtLeast("Jackson", "3.0.2", 3, 0, ""))
                .doesNotThrowAnyException();
        assertThatCode(() -> LibraryCompatibility.requireAtLeast("Spring Boot", "4.1.2", 4, 0, ""))
                .doesNotThrowAnyException();
        // no manifest (classes from an IDE): not checked rather than refused
        assertThatCode(() -> LibraryCompatibility.requireAtLeast("Spring Framework", null, 7, 0, ""))
                .doesNotThrowAnyException();
        assertThat(LibraryCompatibility.parse("7.2.19.Final")).containsExactly(7, 2);
        assertThat(LibraryCompatibility.parse("4.1.0-SNAPSHOT")).containsExactly(4, 1);
        assertThat(LibraryCompatibility.parse("unknown")).isNull();
    }

    private static IncompatibleLibraryException findCause(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof IncompatibleLibraryException)) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(IncompatibleLibraryException.class);
        return (IncompatibleLibraryException) cause;
    }

    /**
     * The application's Jackson without {@code treeToValue}, as a Jackson older than the codec was compiled against
     * behaves: the JVM throws {@link NoSuchMethodError} where the codec calls it.
     */
    static class JacksonWithoutTreeToValue extends JsonMapper {

        @Override
        public <T> T treeToValue(TreeNode node, JavaType valueType) {
            throw new NoSuchMethodError(
                    "'java.lang.Object tools.jackson.databind.json.JsonMapper.treeToValue(tools.jackson.core.TreeNode,"
                            + " tools.jackson.databind.JavaType)'");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class IncompatibleJackson {

        @Bean
        JsonMapper jsonMapper() {
            return new JacksonWithoutTreeToValue();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class IncompatibleApplication {

        @Bean
        JsonMapper jsonMapper() {
            return new JacksonWithoutTreeToValue();
        }
    }
}
