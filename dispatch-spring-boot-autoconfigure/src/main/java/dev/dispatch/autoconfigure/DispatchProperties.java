package dev.dispatch.autoconfigure;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.jdbc.init.DatabaseInitializationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration properties of Dispatch for Spring Boot. Each setting's allowed range is checked when it is bound
 * (docs/configuration.md lists them); a value out of range stops the startup with the property and its range.
 */
@ConfigurationProperties("dispatch")
@Validated
public class DispatchProperties implements Validator {

    /** Whether to enable durable functions. When disabled, @DispatchFunction methods run as plain methods. */
    private boolean enabled = true;

    /**
     * Number of attempts this node runs at once. Unset: the connection pool's size less 3 (at least 1, at most 16)
     * when the pool's size is known, else 16.
     */
    private @Nullable Integer workers;

    /** How often to poll the database for due work that no local signal announced (retries, other nodes' work). */
    private Duration pollInterval = Duration.ofMillis(500);

    /** How long a running attempt's lease lasts without a heartbeat; after it, another node may take the work over. */
    private Duration leaseDuration = Duration.ofSeconds(30);

    /** How long a direct call from outside any durable function waits for its result. */
    private Duration callTimeout = Duration.ofMinutes(5);

    /** Default time limit of one attempt; an attempt past it is interrupted and counted as TIMEOUT. Zero for none. */
    private Duration timeout = Duration.ofMinutes(5);

    /**
     * Default concurrency limit of each function that does not set its own: most invocations of it running at once
     * across all nodes. 0 for no limit.
     */
    private int concurrency;

    /**
     * Whether an attempt that ends THROTTLED halves the concurrency limit this node applies to its function (never below
     * 1), and successes raise it again by one per limit's worth of successes, up to the configured limit.
     */
    private boolean adaptiveConcurrency = true;

    /** Name of this node in leases. Defaults to the host name, the process id and a random suffix. */
    private @Nullable String nodeId;

    /** Capacity of the local ready queue; beyond it, due work waits for the next poll. */
    private int queueCapacity = 100_000;

    /**
     * How many due invocations a node claims ahead of its free workers, so that workers never wait for a claim round
     * trip. Claimed-ahead calls wait locally (their leases renewed) and other nodes cannot take them meanwhile. Unset:
     * twice the number of workers. Set 0 for long-running functions on several nodes.
     */
    private @Nullable Integer claimAhead;

    /** How long running attempts may take to finish when the application stops. */
    private Duration shutdownGracePeriod = Duration.ofSeconds(30);

    /** Largest JSON text of a call's arguments or of a result; larger ones are refused with a clear error. */
    private DataSize maxPayloadSize = DataSize.ofMegabytes(1);

    /**
     * Most calls one step (a batch, a gather, an any or a race) may make; a larger step is refused before anything is
     * recorded.
     */
    private int maxCallsPerStep = 100_000;

    /** Retry defaults for functions that do not set their own. */
    @NestedConfigurationProperty
    private final Retry retry = new Retry();

    /** Advice ordering. */
    @NestedConfigurationProperty
    private final Aop aop = new Aop();

    /** How long finished invocations are kept. */
    @NestedConfigurationProperty
    private final Retention retention = new Retention();

    /** Database schema. */
    @NestedConfigurationProperty
    private final Jdbc jdbc = new Jdbc();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable Integer getWorkers() {
        return this.workers;
    }

    public void setWorkers(@Nullable Integer workers) {
        this.workers = workers;
    }

    public Duration getPollInterval() {
        return this.pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duration getLeaseDuration() {
        return this.leaseDuration;
    }

    public void setLeaseDuration(Duration leaseDuration) {
        this.leaseDuration = leaseDuration;
    }

    public Duration getCallTimeout() {
        return this.callTimeout;
    }

    public void setCallTimeout(Duration callTimeout) {
        this.callTimeout = callTimeout;
    }

    public Duration getTimeout() {
        return this.timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public int getConcurrency() {
        return this.concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public boolean isAdaptiveConcurrency() {
        return this.adaptiveConcurrency;
    }

    public void setAdaptiveConcurrency(boolean adaptiveConcurrency) {
        this.adaptiveConcurrency = adaptiveConcurrency;
    }

    public @Nullable String getNodeId() {
        return this.nodeId;
    }

    public void setNodeId(@Nullable String nodeId) {
        this.nodeId = nodeId;
    }

    public int getQueueCapacity() {
        return this.queueCapacity;
    }

    public void setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public @Nullable Integer getClaimAhead() {
        return this.claimAhead;
    }

    public void setClaimAhead(@Nullable Integer claimAhead) {
        this.claimAhead = claimAhead;
    }

    public Duration getShutdownGracePeriod() {
        return this.shutdownGracePeriod;
    }

    public void setShutdownGracePeriod(Duration shutdownGracePeriod) {
        this.shutdownGracePeriod = shutdownGracePeriod;
    }

    public DataSize getMaxPayloadSize() {
        return this.maxPayloadSize;
    }

    public void setMaxPayloadSize(DataSize maxPayloadSize) {
        this.maxPayloadSize = maxPayloadSize;
    }

    public int getMaxCallsPerStep() {
        return this.maxCallsPerStep;
    }

    public void setMaxCallsPerStep(int maxCallsPerStep) {
        this.maxCallsPerStep = maxCallsPerStep;
    }

    public Retry getRetry() {
        return this.retry;
    }

    public Aop getAop() {
        return this.aop;
    }

    public Retention getRetention() {
        return this.retention;
    }

    public Jdbc getJdbc() {
        return this.jdbc;
    }

    @Override
    public boolean supports(Class<?> type) {
        return DispatchProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        PropertyRules.check((DispatchProperties) target, new PropertyRanges(errors));
    }

    /** Retry defaults. */
    public static class Retry {

        /** Maximum number of attempts of a call, the first included. */
        private int maxAttempts = 5;

        /** Backoff before the first retry. */
        private Duration initialBackoff = Duration.ofMillis(200);

        /** Upper bound of the backoff between attempts. */
        private Duration maxBackoff = Duration.ofMinutes(1);

        /** Factor applied to the backoff after each attempt. */
        private double multiplier = 2.0;

        public int getMaxAttempts() {
            return this.maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getInitialBackoff() {
            return this.initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        public Duration getMaxBackoff() {
            return this.maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public double getMultiplier() {
            return this.multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }
    }

    /** How long finished invocations are kept before they are purged, whole trees at a time. */
    public static class Retention {

        /** How long a tree whose root succeeded is kept after it finished. */
        private Duration succeeded = Duration.ofDays(7);

        /** How long a tree whose root failed or was cancelled is kept after it finished. */
        private Duration failed = Duration.ofDays(30);

        /** Trees purged per statement; housekeeping repeats until nothing is due or its time budget is spent. */
        private int batchSize = 500;

        public int getBatchSize() {
            return this.batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public Duration getSucceeded() {
            return this.succeeded;
        }

        public void setSucceeded(Duration succeeded) {
            this.succeeded = succeeded;
        }

        public Duration getFailed() {
            return this.failed;
        }

        public void setFailed(Duration failed) {
            this.failed = failed;
        }
    }

    /** Advice ordering. */
    public static class Aop {

        /**
         * Order of the dispatch advice. Lower than @Transactional's (lowest precedence) by default, so the dispatch
         * advice runs outside the transaction and each attempt gets a transaction of its own.
         */
        private int order = Ordered.LOWEST_PRECEDENCE - 100;

        public int getOrder() {
            return this.order;
        }

        public void setOrder(int order) {
            this.order = order;
        }
    }

    /** Database schema of the invocation store. */
    public static class Jdbc extends DatabaseInitializationProperties {

        /** Default location of the schema scripts, by platform ("h2", "postgresql", "mysql"). */
        static final String DEFAULT_SCHEMA_LOCATION = "classpath:dev/dispatch/store/schema-@@platform@@.sql";

        public Jdbc() {
            setInitializeSchema(DatabaseInitializationMode.EMBEDDED);
            // unlike Boot's default: a failed statement of the engine's own script must stop the startup
            setContinueOnError(false);
        }

        @Override
        public String getDefaultSchemaLocation() {
            return DEFAULT_SCHEMA_LOCATION;
        }
    }
}
