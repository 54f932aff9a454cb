package dev.dispatch.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.DispatchFunction;
import dev.dispatch.DispatchSchedule;
import dev.dispatch.aop.FunctionDefinition;
import dev.dispatch.aop.FunctionRegistry;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Attributes of @DispatchFunction that could never work stop the startup, not the first call. */
class FunctionDeclarationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class,
                    TransactionAutoConfiguration.class,
                    JacksonAutoConfiguration.class,
                    DispatchAutoConfiguration.class))
            .withPropertyValues(
                    "spring.datasource.url=jdbc:h2:mem:declarations-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @Test
    void anAnnotationOnAnInterfaceMethodStopsTheStartup() {
        this.runner.withUserConfiguration(InterfaceFunctions.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasMessageContaining("@DispatchFunction " + Greeting.class.getName() + ".greet is declared on an"
                            + " interface, where the dispatch advice never sees it");
        });
    }

    @Test
    void anAnnotationOnAnAbstractMethodStopsTheStartup() {
        this.runner.withUserConfiguration(AbstractFunctions.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasMessageContaining("@DispatchFunction " + Template.class.getName() + ".render is declared on"
                            + " an abstract method");
        });
    }

    @Test
    void namesAndAttributesThatCannotBeRecordedStopTheStartup() {
        this.runner.withUserConfiguration(BadAttributes.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasMessageContaining(
                            "Bad.longName: its name is 300 characters, over the 255 of the" + " function_name column")
                    .hasMessageContaining("Bad.padded: its name ' padded ' has leading or trailing blanks")
                    .hasMessageContaining(
                            "Bad.negativeTimeout: timeout must be zero (none) or a positive duration," + " not '-1s'")
                    .hasMessageContaining("Bad.negativeBackoff: initialBackoff must not be negative")
                    .hasMessageContaining("Bad.inverted: maxBackoff (PT0.1S) must be at least initialBackoff (PT2S)")
                    .hasMessageContaining("Bad.unreadableRate: rateLimit '100 per second' is not a rate: expected"
                            + " N/Ps, N/Pm or N/Ph, e.g. 100/1s")
                    .hasMessageContaining("Bad.emptyRate: rateLimit '0/1s' is not a rate");
        });
    }

    @Test
    void concurrencyKeysThatCouldNeverWorkStopTheStartup() {
        this.runner.withUserConfiguration(BadKeys.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasMessageContaining(
                            "Keys.withoutLimit: concurrencyKey '#p0' needs concurrencyPerKey of at least" + " 1, not 0")
                    .hasMessageContaining("Keys.negativeLimit: concurrencyKey '#p0' needs concurrencyPerKey of at least"
                            + " 1, not -2")
                    .hasMessageContaining("Keys.withoutKey: concurrencyPerKey (2) needs a concurrencyKey")
                    .hasMessageContaining("Keys.unparsable: concurrencyKey '#p0.' is not a SpEL expression")
                    .hasMessageContaining("Keys.noParameters: concurrencyKey '#p0' is evaluated over the arguments,"
                            + " and the method has no parameters")
                    .satisfies(failure -> assertThat(failure.getMessage()).doesNotContain("Keys.valid"));
        });
    }

    @Test
    void aValidConcurrencyKeyIsRegisteredWithItsLimit() {
        this.runner.withUserConfiguration(GoodKeys.class).run(context -> {
            assertThat(context).hasNotFailed();
            FunctionDefinition function =
                    context.getBean(FunctionRegistry.class).byName("tenants.work");
            assertThat(function).isNotNull();
            assertThat(function.concurrencyKey()).isNotNull();
            assertThat(function.concurrencyKey().expression()).isEqualTo("#tenant");
            assertThat(function.concurrencyKey().perKey()).isEqualTo(3);
            assertThat(function.runsQueued()).as("only a claim counts a key").isTrue();
        });
    }

    @Test
    void anAsynchronousResultStopsTheStartup() {
        // recorded as JSON, a CompletableFuture is its state ({"done":true,...}), never its value; read back, it is a
        // future that never completes, so a direct caller's get() would wait forever
        this.runner.withUserConfiguration(AsyncFunctions.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasMessageContaining("Async.later: return type"
                            + " java.util.concurrent.CompletableFuture<java.lang.String> cannot be recorded:"
                            + " java.util.concurrent.CompletableFuture is an asynchronous result, not data")
                    .hasMessageContaining("Async.stage: return type"
                            + " java.util.concurrent.CompletionStage<java.lang.Integer> cannot be recorded:"
                            + " java.util.concurrent.CompletionStage is an asynchronous result, not data")
                    .hasMessageContaining("Async.handed: parameter 1 (java.util.concurrent.Future<java.lang.String>)"
                            + " cannot be recorded: java.util.concurrent.Future is an asynchronous result, not data");
        });
    }

    @Test
    void aScheduleOnAMethodThatIsNotADurableFunctionStopsTheStartup() {
        this.runner.withUserConfiguration(UndeclaredSchedules.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasMessageContaining("@DispatchSchedule on " + Nightly.class.getName() + ".report needs"
                            + " @DispatchFunction on the same method")
                    .satisfies(failure -> assertThat(failure.getMessage()).doesNotContain("Nightly.declared"));
        });
    }

    @Test
    void aScheduleWhosePlaceholderCannotBeResolvedNamesTheMethod() {
        this.runner.withUserConfiguration(UnresolvedSchedules.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasMessageContaining("@DispatchSchedule on public void " + Placeholders.class.getName()
                            + ".cleanUp(): cron '${cleanup.cron}'")
                    .hasMessageContaining("cleanup.cron");
        });
    }

    public static class Async {
        @DispatchFunction
        public java.util.concurrent.CompletableFuture<String> later(String name) {
            return java.util.concurrent.CompletableFuture.completedFuture(name);
        }

        @DispatchFunction
        public java.util.concurrent.CompletionStage<Integer> stage() {
            return java.util.concurrent.CompletableFuture.completedFuture(1);
        }

        @DispatchFunction
        public void handed(java.util.concurrent.Future<String> name) {}
    }

    @Configuration(proxyBeanMethods = false)
    static class AsyncFunctions {
        @Bean
        Async async() {
            return new Async();
        }
    }

    public static class Nightly {
        @DispatchSchedule(cron = "0 0 2 * * *")
        public void report() {}

        @DispatchSchedule(cron = "0 0 3 * * *")
        @DispatchFunction
        public void declared() {}
    }

    @Configuration(proxyBeanMethods = false)
    static class UndeclaredSchedules {
        @Bean
        Nightly nightly() {
            return new Nightly();
        }
    }

    public static class Placeholders {
        @DispatchSchedule(cron = "${cleanup.cron}")
        @DispatchFunction
        public void cleanUp() {}
    }

    @Configuration(proxyBeanMethods = false)
    static class UnresolvedSchedules {
        @Bean
        Placeholders placeholders() {
            return new Placeholders();
        }
    }

    public interface Greeting {
        @DispatchFunction
        String greet(String name);
    }

    public static class Greeter implements Greeting {
        @Override
        public String greet(String name) {
            return "Hello, " + name;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class InterfaceFunctions {
        @Bean
        Greeter greeter() {
            return new Greeter();
        }
    }

    public abstract static class Template {
        @DispatchFunction
        public abstract String render(String text);
    }

    public static class Page extends Template {
        @Override
        public String render(String text) {
            return text;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class AbstractFunctions {
        @Bean
        Page page() {
            return new Page();
        }
    }

    public static class Bad {
        static final String LONG = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
                + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
                + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
                + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
                + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

        @DispatchFunction(name = LONG)
        public void longName() {}

        @DispatchFunction(name = " padded ")
        public void padded() {}

        @DispatchFunction(timeout = "-1s")
        public void negativeTimeout() {}

        @DispatchFunction(initialBackoff = "-5ms")
        public void negativeBackoff() {}

        @DispatchFunction(initialBackoff = "2s", maxBackoff = "100ms")
        public void inverted() {}

        @DispatchFunction(rateLimit = "100 per second")
        public void unreadableRate() {}

        @DispatchFunction(rateLimit = "0/1s")
        public void emptyRate() {}
    }

    public static class Keys {
        @DispatchFunction(concurrencyKey = "#p0")
        public void withoutLimit(String tenant) {}

        @DispatchFunction(concurrencyKey = "#p0", concurrencyPerKey = -2)
        public void negativeLimit(String tenant) {}

        @DispatchFunction(concurrencyPerKey = 2)
        public void withoutKey(String tenant) {}

        @DispatchFunction(concurrencyKey = "#p0.", concurrencyPerKey = 1)
        public void unparsable(String tenant) {}

        @DispatchFunction(concurrencyKey = "#p0", concurrencyPerKey = 1)
        public void noParameters() {}

        @DispatchFunction(concurrencyKey = "#p0", concurrencyPerKey = 1)
        public void valid(String tenant) {}
    }

    @Configuration(proxyBeanMethods = false)
    static class BadKeys {
        @Bean
        Keys keys() {
            return new Keys();
        }
    }

    public static class Tenants {
        @DispatchFunction(concurrencyKey = "#tenant", concurrencyPerKey = 3)
        public void work(String tenant, int index) {}
    }

    @Configuration(proxyBeanMethods = false)
    static class GoodKeys {
        @Bean
        Tenants tenants() {
            return new Tenants();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadAttributes {
        @Bean
        Bad bad() {
            return new Bad();
        }
    }
}
