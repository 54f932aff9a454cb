package dev.dispatch.autoconfigure;

import java.util.HashSet;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration properties of the {@code dispatch} actuator endpoint.
 */
@ConfigurationProperties("dispatch.actuator")
@Validated
public class DispatchActuatorProperties implements Validator {

    /**
     * Whether the endpoint offers its write operations: retry a failed invocation, cancel an invocation with its
     * descendants. Deprecated: set management.endpoint.dispatch.access=unrestricted.
     */
    private boolean writeOperations;

    /** When to show recorded argument and result values; masked values show only their size. */
    private Show showValues = Show.NEVER;

    /** Roles allowed to see values when show-values is when-authorized. Any authenticated user when empty. */
    private Set<String> roles = new HashSet<>();

    /** Children shown per step of an invocation, and invocations per list, unless a request asks for more. */
    private int pageSize = 20;

    @Deprecated(since = "0.2.0")
    @DeprecatedConfigurationProperty(
            replacement = "management.endpoint.dispatch.access",
            reason = "Spring Boot's endpoint access decides the write operations: set it to unrestricted",
            since = "0.2.0")
    public boolean isWriteOperations() {
        return this.writeOperations;
    }

    @Deprecated(since = "0.2.0")
    public void setWriteOperations(boolean writeOperations) {
        this.writeOperations = writeOperations;
    }

    public Show getShowValues() {
        return this.showValues;
    }

    public void setShowValues(Show showValues) {
        this.showValues = showValues;
    }

    public Set<String> getRoles() {
        return this.roles;
    }

    public void setRoles(Set<String> roles) {
        this.roles = roles;
    }

    public int getPageSize() {
        return this.pageSize;
    }

    public void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    @Override
    public boolean supports(Class<?> type) {
        return DispatchActuatorProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        PropertyRules.check((DispatchActuatorProperties) target, new PropertyRanges(errors));
    }
}
