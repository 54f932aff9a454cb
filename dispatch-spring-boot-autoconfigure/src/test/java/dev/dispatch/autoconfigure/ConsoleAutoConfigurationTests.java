package dev.dispatch.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.actuate.OperatorAccess;
import dev.dispatch.console.DispatchConsole;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;

/**
 * The console's auto-configuration: off by default, on with {@code dispatch.console.enabled}, backing off without
 * Spring MVC, without Actuator, outside a servlet web application and to a console of the user's; and the one
 * {@link OperatorAccess} that the endpoint and the console both ask.
 */
class ConsoleAutoConfigurationTests {

    private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(
            DataSourceAutoConfiguration.class,
            HibernateJpaAutoConfiguration.class,
            TransactionAutoConfiguration.class,
            JacksonAutoConfiguration.class,
            DispatchAutoConfiguration.class,
            DispatchOperatorAccessAutoConfiguration.class,
            DispatchEndpointAutoConfiguration.class,
            DispatchConsoleAutoConfiguration.class);

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(CONFIGURATIONS)
            .withPropertyValues(
                    "spring.datasource.url=jdbc:h2:mem:console-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @Test
    void theConsoleIsOffByDefault() {
        this.runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(DispatchConsole.class);
            assertThat(context).doesNotHaveBean(RouterFunction.class);
            assertThat(context).hasSingleBean(OperatorAccess.class);
        });
    }

    @Test
    void enabledItServesItsRoutesAtThePath() {
        this.runner
                .withPropertyValues("dispatch.console.enabled=true", "dispatch.console.path=ops/")
                .run(context -> {
                    assertThat(context).hasSingleBean(DispatchConsole.class);
                    assertThat(context).hasBean("dispatchConsoleRoutes");
                    assertThat(context.getBean("dispatchConsoleRoutes").toString())
                            .contains("/ops/runs/{id}", "/ops/api/bulk");
                });
    }

    @Test
    void itBacksOffWithoutSpringMvc() {
        this.runner
                .withPropertyValues("dispatch.console.enabled=true")
                .withClassLoader(new FilteredClassLoader(RouterFunction.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(DispatchConsole.class);
                });
    }

    @Test
    void itBacksOffWithoutActuatorWhoseSettingsItFollows() {
        this.runner
                .withPropertyValues("dispatch.console.enabled=true")
                .withClassLoader(new FilteredClassLoader(Show.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(DispatchConsole.class);
                    assertThat(context).doesNotHaveBean(OperatorAccess.class);
                });
    }

    @Test
    void itIsNotServedOutsideAServletWebApplication() {
        new ApplicationContextRunner()
                .withConfiguration(CONFIGURATIONS)
                .withPropertyValues(
                        "spring.datasource.url=jdbc:h2:mem:console-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                        "dispatch.console.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(DispatchConsole.class));
    }

    @Test
    void itBacksOffToAConsoleOfTheUsers() {
        this.runner
                .withPropertyValues("dispatch.console.enabled=true")
                .withUserConfiguration(OwnConsole.class)
                .run(context -> assertThat(context)
                        .getBean(DispatchConsole.class)
                        .isSameAs(context.getBean(OwnConsole.class).console));
    }

    @Test
    void theEndpointAndTheConsoleAskTheSameOperatorAccess() {
        this.runner
                .withPropertyValues(
                        "management.endpoints.web.exposure.include=dispatch",
                        "dispatch.actuator.write-operations=true",
                        "dispatch.actuator.show-values=when-authorized",
                        "dispatch.actuator.roles=OPS")
                .run(context -> {
                    OperatorAccess access = context.getBean(OperatorAccess.class);
                    assertThat(access.writeOperations()).isTrue();
                    assertThat(access.showsValues(SecurityContext.NONE)).isFalse();
                    assertThat(access.showsValues(user(Set.of("OPS")))).isTrue();
                    assertThat(access.showsValues(user(Set.of("DEV")))).isFalse();
                });
        this.runner
                .withPropertyValues("management.endpoints.web.exposure.include=dispatch")
                .withUserConfiguration(ReadOnlyAccess.class)
                .run(context -> assertThat(context.getBean(OperatorAccess.class).writeOperations())
                        .isFalse());
    }

    private static SecurityContext user(Set<String> roles) {
        return new SecurityContext() {
            @Override
            public java.security.Principal getPrincipal() {
                return () -> "operator";
            }

            @Override
            public boolean isUserInRole(String role) {
                return roles.contains(role);
            }
        };
    }

    @Configuration(proxyBeanMethods = false)
    static class ReadOnlyAccess {

        @Bean
        OperatorAccess readOnly() {
            return new OperatorAccess(false, Show.NEVER, Set.of());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnConsole {

        DispatchConsole console;

        @Bean
        DispatchConsole myConsole(
                dev.dispatch.Dispatcher dispatcher,
                dev.dispatch.store.InvocationStore store,
                dev.dispatch.store.InvocationQueries queries,
                javax.sql.DataSource dataSource,
                dev.dispatch.engine.Scheduler scheduler,
                dev.dispatch.aop.FunctionRegistry registry,
                OperatorAccess access) {
            this.console = new DispatchConsole(
                    new dev.dispatch.console.ConsoleSettings("/mine", java.time.Duration.ofSeconds(5), 20, 100),
                    dispatcher,
                    store,
                    queries,
                    new org.springframework.jdbc.core.JdbcTemplate(dataSource),
                    scheduler,
                    registry,
                    access);
            return this.console;
        }
    }
}
