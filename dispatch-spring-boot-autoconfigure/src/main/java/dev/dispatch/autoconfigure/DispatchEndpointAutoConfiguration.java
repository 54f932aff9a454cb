package dev.dispatch.autoconfigure;

import dev.dispatch.actuate.DispatchEndpoint;
import dev.dispatch.actuate.WritableDispatchEndpoint;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.engine.Engine;
import dev.dispatch.engine.Scheduler;
import dev.dispatch.store.InvocationQueries;
import dev.dispatch.store.InvocationStore;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code dispatch} actuator endpoint, with its write operations only when
 * {@code dispatch.actuator.write-operations=true}.
 */
@AutoConfiguration(after = DispatchAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean({Engine.class, Scheduler.class, InvocationQueries.class})
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
            DispatchActuatorProperties properties) {
        if (properties.isWriteOperations()) {
            return new WritableDispatchEndpoint(
                    engine,
                    queries,
                    store,
                    scheduler,
                    registry,
                    scheduler.nodeId(),
                    properties.getShowValues(),
                    properties.getRoles(),
                    properties.getPageSize(),
                    engine.concurrencyLimits());
        }
        return new DispatchEndpoint(
                queries,
                store,
                scheduler,
                registry,
                scheduler.nodeId(),
                properties.getShowValues(),
                properties.getRoles(),
                properties.getPageSize(),
                engine.concurrencyLimits());
    }
}
