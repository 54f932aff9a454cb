package dev.dispatch.autoconfigure;

import dev.dispatch.actuate.DispatchBacklogMeterBinder;
import dev.dispatch.actuate.DispatchMeterListener;
import dev.dispatch.engine.Scheduler;
import dev.dispatch.store.InvocationQueries;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of durable execution: counters of calls, retries and failures by function, gauges of the backlog
 * and the workers. (Timers come from the {@code dispatch.function} observation each attempt makes.)
 */
@AutoConfiguration(
        after = {
            MetricsAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class,
            DispatchAutoConfiguration.class
        })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class DispatchMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DispatchMeterListener dispatchMeterListener(MeterRegistry registry) {
        return new DispatchMeterListener(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean({Scheduler.class, InvocationQueries.class})
    DispatchBacklogMeterBinder dispatchBacklogMeterBinder(InvocationQueries queries, Scheduler scheduler) {
        return new DispatchBacklogMeterBinder(queries, scheduler);
    }
}
