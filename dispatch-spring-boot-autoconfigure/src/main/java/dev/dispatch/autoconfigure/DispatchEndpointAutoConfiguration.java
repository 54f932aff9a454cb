package dev.dispatch.autoconfigure;

import dev.dispatch.actuate.DispatchEndpoint;
import dev.dispatch.actuate.WaitsAndSchedules;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.engine.Engine;
import dev.dispatch.engine.Scheduler;
import dev.dispatch.engine.Schedules;
import dev.dispatch.store.InvocationQueries;
import dev.dispatch.store.InvocationStore;
import dev.dispatch.store.SignalStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code dispatch} actuator endpoint: read-only unless its access is opened
 * ({@code management.endpoint.dispatch.access=unrestricted}, or the deprecated
 * {@code dispatch.actuator.write-operations=true}).
 */
@AutoConfiguration(after = {DispatchAutoConfiguration.class, DispatchOperatorAccessAutoConfiguration.class})
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean({Engine.class, Scheduler.class, InvocationQueries.class, SignalStore.class})
@ConditionalOnAvailableEndpoint(DispatchEndpoint.class)
@EnableConfigurationProperties(DispatchActuatorProperties.class)
public final class DispatchEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DispatchEndpoint dispatchEndpoint(
            Engine engine,
            InvocationQueries queries,
            InvocationStore store,
            Scheduler scheduler,
            FunctionRegistry registry,
            SignalStore signalStore,
            DispatchActuatorProperties properties,
            ObjectProvider<Schedules> schedules) {
        return new DispatchEndpoint(
                engine,
                queries,
                store,
                scheduler,
                registry,
                scheduler.nodeId(),
                properties.getShowValues(),
                properties.getRoles(),
                properties.getPageSize(),
                engine.concurrencyLimits(),
                new WaitsAndSchedules(schedules.getIfAvailable(), signalStore, properties.getPageSize()));
    }
}
