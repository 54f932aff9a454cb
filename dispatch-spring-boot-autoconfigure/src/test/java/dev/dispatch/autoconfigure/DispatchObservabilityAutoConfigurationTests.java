package dev.dispatch.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.DispatchFunction;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.PermanentFailureException;
import dev.dispatch.actuate.DispatchBacklogMeterBinder;
import dev.dispatch.actuate.DispatchEndpoint;
import dev.dispatch.actuate.DispatchHealthIndicator;
import dev.dispatch.actuate.DispatchMeterListener;
import dev.dispatch.actuate.OperatorAccess;
import dev.dispatch.engine.DispatchObservation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The observation, meters, health indicator and endpoint: their names and tags, and that each auto-configuration
 * backs off without its library and when the user defines the bean.
 */
class DispatchObservabilityAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class,
                    TransactionAutoConfiguration.class,
                    JacksonAutoConfiguration.class,
                    MetricsAutoConfiguration.class,
                    DispatchAutoConfiguration.class,
                    DispatchMetricsAutoConfiguration.class,
                    DispatchHealthContributorAutoConfiguration.class,
                    DispatchOperatorAccessAutoConfiguration.class,
                    DispatchEndpointAutoConfiguration.class))
            .withPropertyValues(
                    "spring.datasource.url=jdbc:h2:mem:observability-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "management.endpoints.web.exposure.include=dispatch")
            .withUserConfiguration(Functions.class, Registries.class);

    @Test
    void eachAttemptIsObservedAsDispatchFunctionWithFunctionOutcomeAndStatus() {
        this.runner.run(context -> {
            Counting counting = context.getBean(Counting.class);
            Dispatcher dispatcher = context.getBean(Dispatcher.class);
            assertThat(dispatcher.gather(List.of(() -> counting.count("a")))).containsExactly(1);
            try {
                counting.reject("b");
            } catch (RuntimeException expected) {
                // the failure is what is observed
            }

            TestObservationRegistry observations = context.getBean(TestObservationRegistry.class);
            TestObservationRegistryAssert.assertThat(observations)
                    .hasObservationWithNameEqualTo(DispatchObservation.NAME)
                    .that()
                    .hasContextualNameEqualTo("counting.count")
                    .hasLowCardinalityKeyValue(DispatchObservation.FUNCTION, "counting.count")
                    .hasLowCardinalityKeyValue(DispatchObservation.OUTCOME, "success")
                    .hasLowCardinalityKeyValue(DispatchObservation.STATUS, "OK")
                    .hasHighCardinalityKeyValueWithKey(DispatchObservation.INVOCATION);
            TestObservationRegistryAssert.assertThat(observations)
                    .hasAnObservation(observation -> observation
                            .hasLowCardinalityKeyValue(DispatchObservation.FUNCTION, "counting.reject")
                            .hasLowCardinalityKeyValue(DispatchObservation.OUTCOME, "failure")
                            .hasLowCardinalityKeyValue(DispatchObservation.STATUS, "PERMANENT_ERROR")
                            .assertThatError()
                            .isInstanceOf(PermanentFailureException.class));
        });
    }

    @Test
    void theCallersTraceContextIsCarriedToTheAttemptsOfTheCallsItRecords() {
        this.runner.run(context -> {
            Counting counting = context.getBean(Counting.class);
            Dispatcher dispatcher = context.getBean(Dispatcher.class);
            TestObservationRegistry observations = context.getBean(TestObservationRegistry.class);
            FakePropagation propagation = new FakePropagation();
            observations.observationConfig().observationHandler(propagation);

            List<DispatchId> ids = Observation.createNotStarted("http.server.requests", observations)
                    .observe(() -> dispatcher
                            .batch()
                            .add(() -> counting.count("p"))
                            .add(() -> counting.count("q"))
                            .dispatch());
            ids.forEach(id -> dispatcher.awaitCompletion(id, Duration.ofSeconds(10)));

            assertThat(propagation.sent).containsExactly("http.server.requests");
            assertThat(propagation.received).containsExactly("http.server.requests", "http.server.requests");
        });
    }

    @Test
    void countersAndGaugesAreNamedWithTheFunctionTag() {
        this.runner.run(context -> {
            Counting counting = context.getBean(Counting.class);
            Dispatcher dispatcher = context.getBean(Dispatcher.class);
            dispatcher.gather(List.of(() -> counting.count("x"), () -> counting.count("y")));
            try {
                counting.flaky("z");
            } catch (RuntimeException expected) {
                // two retries, then a failure
            }

            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("dispatch.calls")
                            .tag("function", "counting.count")
                            .counter()
                            .count())
                    .isEqualTo(2);
            assertThat(meters.get("dispatch.retries")
                            .tag("function", "counting.flaky")
                            .counter()
                            .count())
                    .isEqualTo(2);
            assertThat(meters.get("dispatch.failures")
                            .tag("function", "counting.flaky")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(meters.get("dispatch.backlog")
                            .tag("status", "pending")
                            .gauge()
                            .value())
                    .isGreaterThanOrEqualTo(0);
            assertThat(meters.get("dispatch.workers").gauge().value())
                    .isEqualTo(
                            context.getBean(dev.dispatch.engine.Scheduler.class).workers());
            assertThat(meters.get("dispatch.workers.busy").gauge()).isNotNull();
            assertThat(meters.get("dispatch.queue.depth").gauge()).isNotNull();
        });
    }

    @Test
    void operatorsMayWriteOnlyWhenTheEndpointsAccessIsUnrestricted() {
        this.runner.run(context -> {
            assertThat(context).hasSingleBean(DispatchEndpoint.class);
            assertThat(context.getBean(OperatorAccess.class).writeOperations()).isFalse();
        });
        this.runner
                .withPropertyValues("management.endpoint.dispatch.access=UNRESTRICTED")
                .run(context -> assertThat(context.getBean(OperatorAccess.class).writeOperations())
                        .isTrue());
        this.runner
                .withPropertyValues("management.endpoints.access.default=UNRESTRICTED")
                .run(context -> assertThat(context.getBean(OperatorAccess.class).writeOperations())
                        .isTrue());
        this.runner
                .withPropertyValues("dispatch.actuator.write-operations=true")
                .run(context -> assertThat(context.getBean(OperatorAccess.class).writeOperations())
                        .as("the deprecated alias")
                        .isTrue());
    }

    @Test
    void theEndpointBacksOffWithoutActuatorOrWhenNotExposed() {
        this.runner
                .withClassLoader(new FilteredClassLoader(Endpoint.class))
                .run(context -> assertThat(context).doesNotHaveBean(DispatchEndpoint.class));
        this.runner
                .withPropertyValues("management.endpoints.web.exposure.include=health")
                .run(context -> assertThat(context).doesNotHaveBean(DispatchEndpoint.class));
    }

    @Test
    void theHealthIndicatorBacksOffWithoutHealthSupportOrWhenDisabled() {
        this.runner.run(context -> assertThat(context).hasSingleBean(DispatchHealthIndicator.class));
        this.runner
                .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).doesNotHaveBean(DispatchHealthIndicator.class));
        this.runner
                .withPropertyValues("management.health.dispatch.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(DispatchHealthIndicator.class));
    }

    @Test
    void theMetersBackOffWithoutMicrometer() {
        this.runner
                .withClassLoader(new FilteredClassLoader("io.micrometer.core"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(DispatchMeterListener.class);
                    assertThat(context).doesNotHaveBean(DispatchBacklogMeterBinder.class);
                });
    }

    @Test
    void eachBeanBacksOffToTheUsersOwn() {
        this.runner.withUserConfiguration(UserBeans.class).run(context -> {
            assertThat(context.getBean(DispatchMeterListener.class)).isSameAs(UserBeans.LISTENER);
            assertThat(context.getBean("dispatchHealthIndicator")).isSameAs(UserBeans.HEALTH);
            assertThat(context).doesNotHaveBean(DispatchHealthIndicator.class);
        });
    }

    /**
     * Stands in for a tracer's propagating handlers: the sender writes the name of the observation that records the
     * calls' parent into the carrier, the receiver reads it back.
     */
    static class FakePropagation implements ObservationHandler<Observation.Context> {

        final List<String> sent = new CopyOnWriteArrayList<>();

        final List<String> received = new CopyOnWriteArrayList<>();

        @Override
        @SuppressWarnings("unchecked")
        public void onStart(Observation.Context context) {
            if (context instanceof SenderContext<?> sender && context.getParentObservation() != null) {
                String parent = context.getParentObservation().getContextView().getName();
                ((SenderContext<Object>) sender).getSetter().set(sender.getCarrier(), "traceparent", parent);
                this.sent.add(parent);
            }
            if (context instanceof ReceiverContext<?> receiver) {
                this.received.add(
                        ((ReceiverContext<Object>) receiver).getGetter().get(receiver.getCarrier(), "traceparent"));
            }
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registries {

        @Bean
        TestObservationRegistry observationRegistry() {
            return TestObservationRegistry.create();
        }

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Functions {

        @Bean
        Counting counting() {
            return new Counting();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBeans {

        static final DispatchMeterListener LISTENER = new DispatchMeterListener(new SimpleMeterRegistry());

        static final HealthIndicator HEALTH = () -> null;

        @Bean
        DispatchMeterListener myListener() {
            return LISTENER;
        }

        @Bean
        HealthIndicator dispatchHealthIndicator() {
            return HEALTH;
        }
    }

    public static class Counting {

        private final AtomicInteger calls = new AtomicInteger();

        @DispatchFunction
        public int count(String key) {
            return this.calls.incrementAndGet();
        }

        @DispatchFunction
        public void reject(String key) {
            throw new PermanentFailureException("rejected " + key);
        }

        @DispatchFunction(maxAttempts = 3, initialBackoff = "1ms")
        public void flaky(String key) {
            throw new IllegalStateException("flaky " + key);
        }
    }
}
