package dev.dispatch.autoconfigure;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration properties of the web console. What it shows and allows follows the {@code dispatch.actuator.*}
 * settings: values masked unless {@code show-values} says otherwise, actions only with write operations enabled.
 */
@ConfigurationProperties("dispatch.console")
@Validated
public class DispatchConsoleProperties implements Validator {

    /** Whether to serve the web console on the application's server. */
    private boolean enabled;

    /** Path of the console: its runs at the path, one run at {path}/runs/{id}. */
    private String path = "/dispatch";

    /** How often the console's pages refresh themselves. */
    private Duration refreshInterval = Duration.ofSeconds(3);

    /** Runs per page, and calls per page of a step. */
    private int pageSize = 50;

    /** Invocations one bulk retry or cancel applies to at most. */
    private int bulkLimit = 10_000;

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getPath() {
        return this.path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public Duration getRefreshInterval() {
        return this.refreshInterval;
    }

    public void setRefreshInterval(Duration refreshInterval) {
        this.refreshInterval = refreshInterval;
    }

    public int getPageSize() {
        return this.pageSize;
    }

    public void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    public int getBulkLimit() {
        return this.bulkLimit;
    }

    public void setBulkLimit(int bulkLimit) {
        this.bulkLimit = bulkLimit;
    }

    @Override
    public boolean supports(Class<?> type) {
        return DispatchConsoleProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        PropertyRules.check((DispatchConsoleProperties) target, new PropertyRanges(errors));
    }
}
