package dev.dispatch.aop;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The durable functions of this application, by name and by method. Filled once at startup by
 * {@link FunctionRegistrar}; read-only afterwards.
 */
public final class FunctionRegistry {

    private volatile Map<String, FunctionDefinition> byName = Map.of();

    private volatile Map<Method, FunctionDefinition> byMethod = Map.of();

    private volatile boolean initialized;

    /** Replaces the registered functions (startup only). */
    void register(List<FunctionDefinition> functions) {
        Map<String, FunctionDefinition> names = new LinkedHashMap<>();
        Map<Method, FunctionDefinition> methods = new LinkedHashMap<>();
        for (FunctionDefinition function : functions) {
            names.put(function.name(), function);
            methods.put(function.method(), function);
        }
        this.byName = Collections.unmodifiableMap(names);
        this.byMethod = Collections.unmodifiableMap(methods);
        this.initialized = true;
    }

    /** The function with this name, if this application has it. */
    public @Nullable FunctionDefinition byName(String name) {
        return this.byName.get(name);
    }

    /** The function declared by this method (as declared on the bean's class), if any. */
    public @Nullable FunctionDefinition byMethod(Method method) {
        return this.byMethod.get(method);
    }

    /** Names of every function this application can run. */
    public Set<String> names() {
        return this.byName.keySet();
    }

    /** Every registered function. */
    public Collection<FunctionDefinition> functions() {
        return this.byName.values();
    }

    /** Whether registration has happened (it does once all singletons exist). */
    public boolean isInitialized() {
        return this.initialized;
    }
}
