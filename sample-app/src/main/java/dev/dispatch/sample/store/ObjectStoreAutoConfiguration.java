package dev.dispatch.sample.store;

import dev.dispatch.sample.SampleProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The local directory store unless the application declares an {@link ObjectStore} of its own (an S3 one, say).
 * An auto-configuration (listed in {@code META-INF/spring/...AutoConfiguration.imports}) because
 * {@code @ConditionalOnMissingBean} is only reliable there: it runs after every bean of the application is known.
 */
@AutoConfiguration
public class ObjectStoreAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ObjectStore.class)
    LocalDirectoryObjectStore localDirectoryObjectStore(SampleProperties properties) {
        return new LocalDirectoryObjectStore(properties.storeDir());
    }
}
