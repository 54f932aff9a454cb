package dev.dispatch.test;

import dev.dispatch.autoconfigure.DispatchAutoConfiguration;
import dev.dispatch.engine.Engine;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** A {@link DispatchTester} wherever the engine runs and this module is on the class path (tests). */
@AutoConfiguration(after = DispatchAutoConfiguration.class)
@ConditionalOnBean({Engine.class, DataSource.class})
class DispatchTesterAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DispatchTester dispatchTester(Engine engine, DataSource dataSource) {
        return new DispatchTester(engine, dataSource, new Histories(engine, dataSource));
    }
}
