package dev.dispatch.autoconfigure;

import dev.dispatch.actuate.DispatchHealthIndicator;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.engine.Scheduler;
import dev.dispatch.store.InvocationQueries;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code dispatch} health indicator. */
@AutoConfiguration(after = DispatchAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean({Scheduler.class, InvocationQueries.class})
@ConditionalOnEnabledHealthIndicator("dispatch")
public final class DispatchHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "dispatchHealthIndicator")
    DispatchHealthIndicator dispatchHealthIndicator(
            Scheduler scheduler, InvocationQueries queries, FunctionRegistry registry) {
        return new DispatchHealthIndicator(scheduler, queries, registry);
    }
}
