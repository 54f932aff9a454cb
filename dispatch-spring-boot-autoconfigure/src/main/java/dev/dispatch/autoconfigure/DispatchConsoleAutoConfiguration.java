package dev.dispatch.autoconfigure;

import dev.dispatch.Dispatcher;
import dev.dispatch.actuate.FlowControl;
import dev.dispatch.actuate.OperatorAccess;
import dev.dispatch.actuate.WaitsAndSchedules;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.console.ConsoleSettings;
import dev.dispatch.console.DispatchConsole;
import dev.dispatch.engine.Engine;
import dev.dispatch.engine.Scheduler;
import dev.dispatch.engine.Schedules;
import dev.dispatch.store.InvocationQueries;
import dev.dispatch.store.InvocationStore;
import dev.dispatch.store.SignalStore;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The web console on the application's own Spring MVC server, off unless {@code dispatch.console.enabled=true}. It
 * asks {@link OperatorAccess} (Spring Boot Actuator's settings under {@code dispatch.actuator.*}) what the caller may
 * see and do.
 */
@AutoConfiguration(after = {DispatchAutoConfiguration.class, DispatchOperatorAccessAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({RouterFunction.class, Show.class})
@ConditionalOnBooleanProperty("dispatch.console.enabled")
@ConditionalOnBean({
    Dispatcher.class,
    Scheduler.class,
    InvocationStore.class,
    InvocationQueries.class,
    SignalStore.class,
    OperatorAccess.class
})
@EnableConfigurationProperties(DispatchConsoleProperties.class)
public final class DispatchConsoleAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DispatchConsole dispatchConsole(
            DispatchConsoleProperties properties,
            Dispatcher dispatcher,
            InvocationStore store,
            InvocationQueries queries,
            DataSource dataSource,
            Scheduler scheduler,
            FunctionRegistry registry,
            OperatorAccess access,
            SignalStore signalStore,
            ObjectProvider<Schedules> schedules,
            ObjectProvider<Engine> engine) {
        ConsoleSettings settings = new ConsoleSettings(
                properties.getPath(),
                properties.getRefreshInterval(),
                properties.getPageSize(),
                properties.getBulkLimit());
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        return new DispatchConsole(
                settings,
                dispatcher,
                store,
                queries,
                jdbc,
                scheduler,
                registry,
                access,
                new WaitsAndSchedules(schedules.getIfAvailable(), signalStore, properties.getPageSize()),
                engine.stream()
                        .map(e -> new FlowControl(e.concurrencyLimits(), queries))
                        .findFirst()
                        .orElse(null));
    }

    @Bean
    RouterFunction<ServerResponse> dispatchConsoleRoutes(DispatchConsole dispatchConsole) {
        return dispatchConsole.routes();
    }
}
