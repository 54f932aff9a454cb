package dev.dispatch.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import dev.dispatch.aop.DispatchFunctionAdvisor;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.engine.Engine;
import dev.dispatch.engine.Scheduler;
import dev.dispatch.store.Claims;
import dev.dispatch.store.DatabaseType;
import dev.dispatch.store.InvocationStore;
import dev.dispatch.store.JdbcStores;
import dev.dispatch.store.SignalStore;
import jakarta.persistence.EntityManagerFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import tools.jackson.databind.json.JsonMapper;

class DispatchAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class,
                    TransactionAutoConfiguration.class,
                    JacksonAutoConfiguration.class,
                    DispatchAutoConfiguration.class))
            .withPropertyValues(
                    "spring.datasource.url=jdbc:h2:mem:autoconfig-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @Test
    void defaultsGiveADispatcherASchedulerAndAProxiedFunction() {
        this.runner.withUserConfiguration(GoodFunctions.class).run(context -> {
            assertThat(context).hasSingleBean(Dispatcher.class);
            assertThat(context).hasSingleBean(Scheduler.class);
            assertThat(context).hasSingleBean(DispatchFunctionAdvisor.class);
            assertThat(context.getBean(Scheduler.class).isRunning()).isTrue();
            assertThat(AopUtils.isAopProxy(context.getBean(Greeter.class))).isTrue();
            assertThat(context.getBean(FunctionRegistry.class).names()).containsExactly("greeter.greet");
            assertThat(context.getBean(Greeter.class).greet("Ada")).isEqualTo("Hello, Ada");
        });
    }

    @Test
    void theSchedulerStopsAndStartsAgainLikeAPausedTestContext() {
        this.runner.withUserConfiguration(GoodFunctions.class).run(context -> {
            Dispatcher dispatcher = context.getBean(Dispatcher.class);
            Greeter greeter = context.getBean(Greeter.class);
            context.stop();
            assertThat(context.getBean(Scheduler.class).isRunning()).isFalse();
            context.start();
            assertThat(context.getBean(Scheduler.class).isRunning()).isTrue();
            assertThat(dispatcher.gather(List.of(() -> greeter.greet("Bo"), () -> greeter.greet("Cy"))))
                    .containsExactly("Hello, Bo", "Hello, Cy");
        });
    }

    @Test
    void disabledLeavesMethodsPlain() {
        this.runner
                .withUserConfiguration(GoodFunctions.class)
                .withPropertyValues("dispatch.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(Dispatcher.class);
                    assertThat(context).doesNotHaveBean(DispatchFunctionAdvisor.class);
                    assertThat(AopUtils.isAopProxy(context.getBean(Greeter.class)))
                            .isFalse();
                });
    }

    @Test
    void backsOffWhenTheUserDefinesADispatcher() {
        this.runner
                .withUserConfiguration(GoodFunctions.class, UserDispatcher.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(Dispatcher.class);
                    assertThat(context).doesNotHaveBean(Engine.class);
                    assertThat(context).doesNotHaveBean(Scheduler.class);
                });
    }

    @Test
    void backsOffOnEachStoreInterfaceTheApplicationImplements() {
        this.runner.withUserConfiguration(GoodFunctions.class, UserStores.class).run(context -> {
            assertThat(context).hasSingleBean(Claims.class).hasSingleBean(SignalStore.class);
            assertThat(context.getBean(Greeter.class).greet("Di")).isEqualTo("Hello, Di");
            UserStores stores = context.getBean(UserStores.class);
            // the engine recorded and read through the application's own implementations, and its scheduler claims
            // through them (at its first poll, which may come after the inline call)
            assertThat(stores.called).contains("InvocationStore.insertInvocations", "InvocationStore.record");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(stores.called).anyMatch(call -> call.startsWith("Claims.claim")));
            assertThat(context.getBean(Claims.class)).isSameAs(stores.claims);
            assertThat(context.getBean(InvocationStore.class)).isSameAs(stores.invocations);
        });
    }

    @Test
    void backsOffWithoutJpa() {
        this.runner
                .withClassLoader(new FilteredClassLoader("jakarta.persistence"))
                .run(context -> assertThat(context).doesNotHaveBean(Dispatcher.class));
    }

    @Test
    void backsOffWithoutJackson() {
        this.runner
                .withClassLoader(new FilteredClassLoader(JsonMapper.class))
                .run(context -> assertThat(context).doesNotHaveBean(Dispatcher.class));
    }

    @Test
    void startupFailsWithOneMessageNamingEachInvalidMethod() {
        this.runner.withUserConfiguration(BadFunctions.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Invalid @DispatchFunction declarations")
                    .hasMessageContaining("Broken.hidden must be public")
                    .hasMessageContaining("Broken.twice is overloaded")
                    .hasMessageContaining("Broken.anything: parameter 1 (java.lang.Object) cannot be recorded")
                    .hasMessageContaining("Broken.callback: parameter 1 (java.lang.Runnable) cannot be recorded")
                    .hasMessageContaining("Broken.slow: timeout 'soon' is not a duration")
                    .hasMessageContaining("Broken.crowded: concurrency must be 0 (no limit) or more, not -2")
                    .hasMessageContaining("Broken.late: deadline must be a positive duration, not '0s'")
                    .hasMessageContaining("Two @DispatchFunction methods share the name 'same'");
        });
    }

    @Test
    void aNegativeDefaultConcurrencyFailsTheStartupNamingTheProperty() {
        this.runner
                .withUserConfiguration(GoodFunctions.class)
                .withPropertyValues("dispatch.concurrency=-1")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(new DispatchPropertiesFailureAnalyzer()
                                    .analyze(context.getStartupFailure())
                                    .getDescription())
                            .contains("dispatch.concurrency = '-1': must be at least 0");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class GoodFunctions {

        @Bean
        Greeter greeter() {
            return new Greeter();
        }
    }

    public static class Greeter {

        @DispatchFunction
        public String greet(String name) {
            return "Hello, " + name;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserDispatcher {

        @Bean
        Dispatcher myDispatcher() {
            return org.mockito.Mockito.mock(Dispatcher.class);
        }
    }

    /** The application's own store: JDBC's, behind decorators that note each call. */
    @Configuration(proxyBeanMethods = false)
    static class UserStores {

        final Set<String> called = ConcurrentHashMap.newKeySet();

        @Nullable
        Claims claims;

        @Nullable
        InvocationStore invocations;

        @Bean
        Claims myClaims(DataSource dataSource, DatabaseType database) {
            this.claims = noting(Claims.class, JdbcStores.claims(new JdbcTemplate(dataSource), database));
            return this.claims;
        }

        @Bean
        InvocationStore myInvocations(
                DataSource dataSource, EntityManagerFactory entityManagerFactory, DatabaseType database) {
            this.invocations = noting(
                    InvocationStore.class,
                    JdbcStores.invocationStore(
                            new JdbcTemplate(dataSource),
                            SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory),
                            database));
            return this.invocations;
        }

        private <T> T noting(Class<T> type, T delegate) {
            return type.cast(Proxy.newProxyInstance(
                    type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
                        this.called.add(type.getSimpleName() + "." + method.getName());
                        try {
                            return method.invoke(delegate, args);
                        } catch (InvocationTargetException ex) {
                            throw ex.getCause();
                        }
                    }));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadFunctions {

        @Bean
        Broken broken() {
            return new Broken();
        }
    }

    public static class Broken {

        @DispatchFunction(concurrency = -2)
        public void crowded() {}

        @DispatchFunction(deadline = "0s")
        public void late() {}

        @DispatchFunction
        protected void hidden() {}

        @DispatchFunction
        public void twice(String a) {}

        public void twice(String a, String b) {}

        @DispatchFunction
        public void anything(Object value) {}

        @DispatchFunction
        public void callback(Runnable runnable) {}

        @DispatchFunction(timeout = "soon")
        public void slow() {}

        @DispatchFunction(name = "same")
        public List<String> first() {
            return List.of();
        }

        @DispatchFunction(name = "same")
        public List<String> second() {
            return List.of();
        }
    }
}
