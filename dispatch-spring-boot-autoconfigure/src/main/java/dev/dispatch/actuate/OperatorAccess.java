package dev.dispatch.actuate;

import java.util.Set;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;

/**
 * What operators may see and do, asked by the {@code dispatch} endpoint and the console alike: whether write operations
 * (retry, cancel) are enabled, and whether a request may see recorded argument and result values. One bean, so that the
 * two never disagree; how the answer is configured may change without either of them changing.
 */
public class OperatorAccess {

    private final boolean writeOperations;

    private final Show showValues;

    private final Set<String> roles;

    /**
     * @param writeOperations whether retry and cancel are offered
     * @param showValues when recorded values are shown
     * @param roles roles allowed to see values when {@code showValues} is when-authorized (any authenticated user when
     *     empty)
     */
    public OperatorAccess(boolean writeOperations, Show showValues, Set<String> roles) {
        this.writeOperations = writeOperations;
        this.showValues = showValues;
        this.roles = Set.copyOf(roles);
    }

    /** Whether operators may retry and cancel invocations. */
    public boolean writeOperations() {
        return this.writeOperations;
    }

    /** Whether the caller described by {@code context} may see recorded argument and result values. */
    public boolean showsValues(SecurityContext context) {
        return this.showValues.isShown(context, this.roles);
    }
}
