package dev.dispatch.autoconfigure;

import dev.dispatch.Dispatcher;
import dev.dispatch.Status;
import dev.dispatch.aop.CallHandler;
import dev.dispatch.aop.DispatchFunctionAdvisor;
import dev.dispatch.aop.FunctionDefaults;
import dev.dispatch.aop.FunctionRegistrar;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.codec.JsonCodec;
import dev.dispatch.engine.AttemptOutcome;
import dev.dispatch.engine.Engine;
import dev.dispatch.engine.EngineListener;
import dev.dispatch.engine.EngineSettings;
import dev.dispatch.engine.Scheduler;
import dev.dispatch.engine.Schedules;
import dev.dispatch.store.Claims;
import dev.dispatch.store.DatabaseType;
import dev.dispatch.store.InvocationQueries;
import dev.dispatch.store.InvocationStore;
import dev.dispatch.store.JdbcStores;
import dev.dispatch.store.ReadySignals;
import dev.dispatch.store.Retention;
import dev.dispatch.store.ScheduleStore;
import dev.dispatch.store.SignalStore;
import dev.dispatch.store.StoreDatabaseException;
import io.micrometer.observation.ObservationRegistry;
import jakarta.persistence.EntityManagerFactory;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.metadata.CompositeDataSourcePoolMetadataProvider;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadata;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of durable functions: the function registry and the advice on {@code @DispatchFunction}
 * methods, the invocation store on the application's JPA persistence unit, and the engine with its scheduler.
 */
@AutoConfiguration(
        after = {
            DataSourceAutoConfiguration.class,
            HibernateJpaAutoConfiguration.class,
            JacksonAutoConfiguration.class,
            TransactionAutoConfiguration.class
        })
@ConditionalOnClass({EntityManagerFactory.class, JsonMapper.class, JdbcTemplate.class})
@ConditionalOnBooleanProperty(name = "dispatch.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DispatchProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public final class DispatchAutoConfiguration {

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static FunctionRegistry dispatchFunctionRegistry() {
        return new FunctionRegistry();
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static DispatchFunctionAdvisor dispatchFunctionAdvisor(
            FunctionRegistry dispatchFunctionRegistry, ObjectProvider<CallHandler> handler, Environment environment) {
        // Advisors are created before properties beans: read the order straight from the environment.
        int order = Binder.get(environment)
                .bind("dispatch.aop.order", Integer.class)
                .orElseGet(() -> new DispatchProperties().getAop().getOrder());
        return new DispatchFunctionAdvisor(dispatchFunctionRegistry, handler::getObject, order);
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static DispatchEntitiesPostProcessor dispatchEntitiesPostProcessor() {
        return new DispatchEntitiesPostProcessor();
    }

    @Bean
    @ConditionalOnMissingBean
    JsonCodec dispatchJsonCodec(ObjectProvider<JsonMapper> jsonMapper, DispatchProperties properties) {
        JsonCodec codec = new JsonCodec(
                jsonMapper.getIfAvailable(JsonMapper::new),
                properties.getMaxPayloadSize().toBytes());
        // An incompatible library stops the startup here, not every call later.
        LibraryCompatibility.check(codec);
        return codec;
    }

    @Bean
    static FunctionRegistrar dispatchFunctionRegistrar(
            ConfigurableListableBeanFactory beanFactory,
            FunctionRegistry dispatchFunctionRegistry,
            ObjectProvider<JsonCodec> codec,
            Environment environment) {
        DispatchProperties properties = Binder.get(environment)
                .bind("dispatch", DispatchProperties.class)
                .orElseGet(DispatchProperties::new);
        DispatchProperties.Retry retry = properties.getRetry();
        Duration timeout = properties.getTimeout();
        FunctionDefaults defaults = new FunctionDefaults(
                retry.getMaxAttempts(),
                retry.getInitialBackoff(),
                retry.getMaxBackoff(),
                retry.getMultiplier(),
                timeout.isZero() ? null : timeout,
                properties.getConcurrency());
        return new FunctionRegistrar(beanFactory, dispatchFunctionRegistry, codec::getObject, defaults);
    }

    /**
     * The database, detected once, after the schema is initialized (by Dispatch's scripts, Flyway or Liquibase): an
     * unsupported database or missing tables stop the startup here, a {@link StoreDatabaseException} that
     * {@link StoreDatabaseFailureAnalyzer} explains.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(DataSource.class)
    @DependsOnDatabaseInitialization
    DatabaseType dispatchDatabaseType(DataSource dataSource) {
        DatabaseType database = DatabaseType.detect(dataSource);
        database.checkTables(dataSource);
        return database;
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean({DataSource.class, EntityManagerFactory.class})
    InvocationStore dispatchInvocationStore(
            DataSource dataSource, EntityManagerFactory entityManagerFactory, DatabaseType database) {
        return JdbcStores.invocationStore(
                new JdbcTemplate(dataSource),
                SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory),
                database);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(DataSource.class)
    Claims dispatchClaims(DataSource dataSource, DatabaseType database) {
        return JdbcStores.claims(new JdbcTemplate(dataSource), database);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(DataSource.class)
    Retention dispatchRetention(DataSource dataSource, DatabaseType database, DispatchProperties properties) {
        return JdbcStores.retention(
                new JdbcTemplate(dataSource),
                database,
                properties.getRetention().getSucceeded(),
                properties.getRetention().getFailed(),
                properties.getRetention().getBatchSize());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(DataSource.class)
    SignalStore dispatchSignalStore(DataSource dataSource, DatabaseType database) {
        return JdbcStores.signalStore(new JdbcTemplate(dataSource), database);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(DataSource.class)
    ScheduleStore dispatchScheduleStore(DataSource dataSource) {
        return JdbcStores.scheduleStore(new JdbcTemplate(dataSource));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(DataSource.class)
    ReadySignals dispatchReadySignals(DataSource dataSource, DatabaseType database) {
        return database.readySignals(dataSource);
    }

    @Bean
    @ConditionalOnMissingBean(Dispatcher.class)
    @ConditionalOnBean({InvocationStore.class, PlatformTransactionManager.class})
    Engine dispatchEngine(
            FunctionRegistry dispatchFunctionRegistry,
            JsonCodec codec,
            InvocationStore store,
            Claims claims,
            Retention retention,
            SignalStore signalStore,
            ReadySignals signals,
            PlatformTransactionManager transactionManager,
            DispatchProperties properties,
            ConfigurableListableBeanFactory beanFactory,
            ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<EngineListener> listeners,
            ObjectProvider<DataSource> dataSource,
            ObjectProvider<DataSourcePoolMetadataProvider> poolMetadata) {
        int workers = WorkerSizing.workers(properties.getWorkers(), poolSize(dataSource, poolMetadata));
        EngineSettings settings = new EngineSettings(
                nodeId(properties),
                workers,
                properties.getPollInterval(),
                properties.getLeaseDuration(),
                properties.getCallTimeout(),
                properties.getQueueCapacity(),
                claimAhead(properties, workers),
                properties.getShutdownGracePeriod(),
                properties.isAdaptiveConcurrency(),
                properties.getMaxCallsPerStep());
        List<EngineListener> all = listeners.orderedStream().toList();
        EngineListener listener = new EngineListener() {
            @Override
            public void dispatched(String function, int calls) {
                all.forEach(l -> l.dispatched(function, calls));
            }

            @Override
            public void attemptStarting(String function, String invocationId, int attempt) {
                all.forEach(l -> l.attemptStarting(function, invocationId, attempt));
            }

            @Override
            public void attemptEnded(String function, AttemptOutcome outcome, Status status) {
                all.forEach(l -> l.attemptEnded(function, outcome, status));
            }

            @Override
            public void concurrencyLimitChanged(String function, double limit) {
                all.forEach(l -> l.concurrencyLimitChanged(function, limit));
            }
        };
        return new Engine(
                dispatchFunctionRegistry,
                codec,
                store,
                claims,
                retention,
                signalStore,
                signals,
                transactionManager,
                settings,
                beanFactory::getBean,
                observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP),
                listener);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean({DataSource.class, EntityManagerFactory.class})
    InvocationQueries dispatchInvocationQueries(DataSource dataSource, EntityManagerFactory entityManagerFactory) {
        return new InvocationQueries(
                new JdbcTemplate(dataSource),
                SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory));
    }

    @Bean
    @ConditionalOnBean(Engine.class)
    Scheduler dispatchScheduler(Engine engine) {
        return engine.scheduler();
    }

    @Bean
    @ConditionalOnBean(Engine.class)
    @ConditionalOnBooleanProperty(name = "dispatch.schedules.enabled", matchIfMissing = true)
    Schedules dispatchSchedules(
            FunctionRegistry dispatchFunctionRegistry,
            Engine engine,
            ScheduleStore scheduleStore,
            PlatformTransactionManager transactionManager,
            Environment environment,
            ConfigurableListableBeanFactory beanFactory) {
        return new Schedules(
                dispatchFunctionRegistry,
                environment::resolveRequiredPlaceholders,
                scheduleStore,
                engine,
                new TransactionTemplate(transactionManager),
                beanFactory::getBean);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(DataSource.class)
    DispatchDataSourceScriptDatabaseInitializer dispatchDataSourceScriptDatabaseInitializer(
            DataSource dataSource, DispatchProperties properties) {
        return new DispatchDataSourceScriptDatabaseInitializer(dataSource, properties.getJdbc());
    }

    private static int claimAhead(DispatchProperties properties, int workers) {
        Integer claimAhead = properties.getClaimAhead();
        return (claimAhead != null) ? claimAhead : 2 * workers;
    }

    private static @Nullable Integer poolSize(
            ObjectProvider<DataSource> dataSource, ObjectProvider<DataSourcePoolMetadataProvider> providers) {
        DataSource source = dataSource.getIfUnique();
        if (source == null) {
            return null;
        }
        DataSourcePoolMetadata metadata = new CompositeDataSourcePoolMetadataProvider(
                        providers.orderedStream().toList())
                .getDataSourcePoolMetadata(source);
        return (metadata != null) ? metadata.getMax() : null;
    }

    private static String nodeId(DispatchProperties properties) {
        String configured = properties.getNodeId();
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception ex) {
            host = "localhost";
        }
        String pid = Long.toString(ManagementFactory.getRuntimeMXBean().getPid());
        return host + ":" + pid + ":" + UUID.randomUUID().toString().substring(0, 8);
    }
}
