package dev.dispatch.autoconfigure;

import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keeps the deprecated {@code dispatch.actuator.write-operations=true} working: it stands for
 * {@code management.endpoint.dispatch.access=unrestricted} unless that is set, so that Spring Boot's endpoint access
 * (which decides whether the write operation is offered) and the console agree.
 */
final class WriteOperationsAliasEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String DEPRECATED = "dispatch.actuator.write-operations";

    static final String ACCESS = "management.endpoint.dispatch.access";

    private final Log logger;

    WriteOperationsAliasEnvironmentPostProcessor(DeferredLogFactory logFactory) {
        this.logger = logFactory.getLog(WriteOperationsAliasEnvironmentPostProcessor.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!Boolean.TRUE.equals(environment.getProperty(DEPRECATED, Boolean.class))
                || environment.containsProperty(ACCESS)) {
            return;
        }
        this.logger.warn(DEPRECATED + " is deprecated: set " + ACCESS + "=unrestricted instead");
        environment
                .getPropertySources()
                .addLast(new MapPropertySource("dispatchWriteOperationsAlias", Map.of(ACCESS, "unrestricted")));
    }

    @Override
    public int getOrder() {
        // after the application's configuration files are loaded
        return Ordered.LOWEST_PRECEDENCE;
    }
}
