package dev.dispatch.autoconfigure;

import dev.dispatch.actuate.OperatorAccess;
import dev.dispatch.engine.Engine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.PropertiesEndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The one answer to "may operators change invocations, and see values?" that the {@code dispatch} endpoint and the
 * console both ask: writes follow the endpoint's access ({@code management.endpoint.dispatch.access}), values the
 * {@code dispatch.actuator.*} settings. Present whenever Spring Boot Actuator is, whether
 * or not the endpoint is exposed.
 */
@AutoConfiguration(after = DispatchAutoConfiguration.class)
@ConditionalOnClass(Show.class)
@ConditionalOnBean(Engine.class)
@EnableConfigurationProperties(DispatchActuatorProperties.class)
public final class DispatchOperatorAccessAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @SuppressWarnings("deprecation")
    OperatorAccess dispatchOperatorAccess(
            DispatchActuatorProperties properties,
            ObjectProvider<EndpointAccessResolver> accessResolver,
            Environment environment) {
        // The same answer Boot gives the endpoint's write operation: management.endpoint.dispatch.access (or
        // management.endpoints.access.default), read-only unless opened; the deprecated property opens it too.
        EndpointAccessResolver resolver =
                accessResolver.getIfAvailable(() -> new PropertiesEndpointAccessResolver(environment));
        boolean unrestricted = resolver.accessFor(EndpointId.of("dispatch"), Access.READ_ONLY) == Access.UNRESTRICTED;
        return new OperatorAccess(
                unrestricted || properties.isWriteOperations(), properties.getShowValues(), properties.getRoles());
    }
}
