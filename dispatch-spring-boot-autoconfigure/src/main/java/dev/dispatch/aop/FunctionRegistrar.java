package dev.dispatch.aop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.DispatchSchedule;
import dev.dispatch.codec.JsonCodec;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.ClassUtils;

/**
 * Finds every {@code @DispatchFunction} bean method once all singletons exist, checks it can be a durable function,
 * and registers it. Any problem fails the startup with one message that names each method and what is wrong.
 */
public final class FunctionRegistrar implements SmartInitializingSingleton {

    private final ConfigurableListableBeanFactory beanFactory;

    private final FunctionRegistry registry;

    private final Supplier<JsonCodec> codec;

    private final FunctionDefaults defaults;

    /** Length of the {@code function_name} column: a longer name could never be recorded. */
    static final int MAX_NAME_LENGTH = 255;

    public FunctionRegistrar(
            ConfigurableListableBeanFactory beanFactory,
            FunctionRegistry registry,
            Supplier<JsonCodec> codec,
            FunctionDefaults defaults) {
        this.beanFactory = beanFactory;
        this.registry = registry;
        this.codec = codec;
        this.defaults = defaults;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<String> problems = new ArrayList<>();
        Map<String, FunctionDefinition> byName = new LinkedHashMap<>();
        Map<Method, String> beanByMethod = new LinkedHashMap<>();
        Set<Method> unreachable = new LinkedHashSet<>();
        for (String beanName : this.beanFactory.getBeanDefinitionNames()) {
            if (ScopedProxyUtils.isScopedTarget(beanName)) {
                continue;
            }
            Class<?> type = this.beanFactory.getType(beanName, false);
            if (type == null) {
                continue;
            }
            Class<?> userClass = ClassUtils.getUserClass(type);
            unreachable.addAll(unreachableMethods(userClass));
            for (Method method : scheduledOnly(userClass)) {
                problems.add(
                        "@DispatchSchedule on " + method.getDeclaringClass().getName() + "." + method.getName()
                                + " needs @DispatchFunction on the same method: only a durable function is scheduled, and"
                                + " without it the schedule would never run");
            }
            for (Method method : annotatedMethods(userClass)) {
                if (Modifier.isAbstract(method.getModifiers())) {
                    unreachable.add(method);
                    continue;
                }
                String other = beanByMethod.putIfAbsent(method, beanName);
                if (other != null) {
                    problems.add(describe(method) + " is declared by two beans, '" + other + "' and '" + beanName
                            + "': a durable function must belong to exactly one bean");
                    continue;
                }
                FunctionDefinition function = define(beanName, userClass, method, problems);
                if (function == null) {
                    continue;
                }
                FunctionDefinition clash = byName.putIfAbsent(function.name(), function);
                if (clash != null) {
                    problems.add("Two @DispatchFunction methods share the name '" + function.name() + "': "
                            + describe(clash.method()) + " and " + describe(method)
                            + "; give one another name with @DispatchFunction(name = \"...\")");
                }
            }
        }
        for (Method method : unreachable) {
            problems.add(describe(method) + " is declared on "
                    + (method.getDeclaringClass().isInterface() ? "an interface" : "an abstract method")
                    + ", where the dispatch advice never sees it; put @DispatchFunction on the implementing method of"
                    + " the bean's class");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "Invalid @DispatchFunction declarations:\n - " + String.join("\n - ", problems));
        }
        this.registry.register(List.copyOf(byName.values()));
    }

    private static List<Method> annotatedMethods(Class<?> userClass) {
        List<Method> methods = new ArrayList<>();
        for (Class<?> c = userClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (method.isAnnotationPresent(DispatchFunction.class) && !method.isBridge()) {
                    methods.add(method);
                }
            }
        }
        return methods;
    }

    /** Methods with {@code @DispatchSchedule} but no {@code @DispatchFunction}: no schedule would ever run them. */
    private static List<Method> scheduledOnly(Class<?> userClass) {
        List<Method> methods = new ArrayList<>();
        for (Class<?> c = userClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (method.isAnnotationPresent(DispatchSchedule.class)
                        && !method.isAnnotationPresent(DispatchFunction.class)
                        && !method.isBridge()) {
                    methods.add(method);
                }
            }
        }
        return methods;
    }

    /** Annotated methods of the bean's interfaces: Spring's proxy matches the class's methods, not these. */
    private static List<Method> unreachableMethods(Class<?> userClass) {
        List<Method> methods = new ArrayList<>();
        Set<Class<?>> interfaces = new LinkedHashSet<>(ClassUtils.getAllInterfacesForClassAsSet(userClass));
        if (userClass.isInterface()) {
            interfaces.add(userClass);
        }
        for (Class<?> type : interfaces) {
            for (Method method : type.getDeclaredMethods()) {
                if (method.isAnnotationPresent(DispatchFunction.class)) {
                    methods.add(method);
                }
            }
        }
        return methods;
    }

    private @Nullable FunctionDefinition define(
            String beanName, Class<?> userClass, Method method, List<String> problems) {
        DispatchFunction annotation = method.getAnnotation(DispatchFunction.class);
        String where = describe(method);
        int before = problems.size();
        int modifiers = method.getModifiers();
        if (Modifier.isStatic(modifiers)) {
            problems.add(where + " must not be static: durable functions are called through their bean's proxy");
        }
        if (!Modifier.isPublic(modifiers)) {
            problems.add(where + " must be public: Spring's proxy only intercepts calls of public methods");
        }
        if (Modifier.isFinal(modifiers) || Modifier.isFinal(userClass.getModifiers())) {
            problems.add(where + " must not be final (nor its class): Spring's proxy cannot intercept it");
        }
        long overloads = Arrays.stream(userClass.getMethods())
                .filter(m -> m.getName().equals(method.getName()) && !m.isBridge())
                .count();
        if (overloads > 1) {
            problems.add(where + " is overloaded: a durable function is recorded by name, so its method name must"
                    + " be unique in " + userClass.getSimpleName());
        }
        Type[] parameterTypes = method.getGenericParameterTypes();
        for (int i = 0; i < parameterTypes.length; i++) {
            String problem = this.codec.get().problemWith(parameterTypes[i]);
            if (problem != null) {
                problems.add(where + ": parameter " + (i + 1) + " (" + parameterTypes[i].getTypeName()
                        + ") cannot be recorded: " + problem);
            }
        }
        Type returnType = method.getGenericReturnType();
        if (returnType != void.class) {
            String problem = this.codec.get().problemWith(returnType);
            if (problem != null) {
                problems.add(where + ": return type " + returnType.getTypeName() + " cannot be recorded: " + problem);
            }
        }
        int maxAttempts = annotation.maxAttempts() > 0 ? annotation.maxAttempts() : this.defaults.maxAttempts();
        if (annotation.maxAttempts() < 0) {
            problems.add(where + ": maxAttempts must be at least 1, not " + annotation.maxAttempts());
        }
        double multiplier =
                annotation.backoffMultiplier() != 0 ? annotation.backoffMultiplier() : this.defaults.multiplier();
        if (multiplier < 1) {
            problems.add(where + ": backoffMultiplier must be at least 1, not " + multiplier);
        }
        Duration initialBackoff =
                duration(where, "initialBackoff", annotation.initialBackoff(), this.defaults::initialBackoff, problems);
        Duration maxBackoff =
                duration(where, "maxBackoff", annotation.maxBackoff(), this.defaults::maxBackoff, problems);
        Duration timeout = duration(where, "timeout", annotation.timeout(), this.defaults::timeout, problems);
        Duration deadline = duration(where, "deadline", annotation.deadline(), () -> null, problems);
        if (deadline != null && (deadline.isZero() || deadline.isNegative())) {
            problems.add(where + ": deadline must be a positive duration, not '" + annotation.deadline() + "'");
        }
        int concurrency = annotation.concurrency() != 0 ? annotation.concurrency() : this.defaults.concurrency();
        if (concurrency < 0) {
            problems.add(where + ": concurrency must be 0 (no limit) or more, not " + concurrency
                    + (annotation.concurrency() == 0 ? " (from dispatch.concurrency)" : ""));
        }
        RateLimit rateLimit = null;
        if (!annotation.rateLimit().isBlank()) {
            try {
                rateLimit = RateLimit.parse(annotation.rateLimit());
            } catch (IllegalArgumentException ex) {
                problems.add(where + ": rateLimit " + ex.getMessage());
            }
        }
        ConcurrencyKey concurrencyKey = concurrencyKey(where, annotation, method, problems);
        if (timeout != null && timeout.isNegative()) {
            problems.add(
                    where + ": timeout must be zero (none) or a positive duration, not '" + annotation.timeout() + "'");
        }
        if (initialBackoff.isNegative()) {
            problems.add(where + ": initialBackoff must not be negative, not '" + annotation.initialBackoff() + "'");
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            problems.add(where + ": maxBackoff (" + maxBackoff + ") must be at least initialBackoff (" + initialBackoff
                    + ")");
        }
        String name = annotation.name().isBlank() ? beanName + "." + method.getName() : annotation.name();
        if (name.length() > MAX_NAME_LENGTH) {
            problems.add(where + ": its name is " + name.length() + " characters, over the " + MAX_NAME_LENGTH
                    + " of the function_name column; give a shorter one with @DispatchFunction(name = \"...\")");
        }
        if (!name.equals(name.strip()) || name.chars().anyMatch(Character::isISOControl)) {
            problems.add(where + ": its name '" + name + "' has leading or trailing blanks or control characters");
        }
        if (problems.size() > before) {
            return null;
        }
        return new FunctionDefinition(
                name,
                beanName,
                method,
                parameterTypes,
                returnType,
                maxAttempts,
                initialBackoff,
                maxBackoff,
                multiplier,
                (timeout != null && !timeout.isZero() && !timeout.isNegative()) ? timeout : null,
                List.of(annotation.retryOn()),
                List.of(annotation.noRetryOn()),
                deadline,
                concurrency,
                annotation.priority(),
                rateLimit,
                concurrencyKey);
    }

    /** The function's concurrency key, checked: it needs a limit per key, and arguments to evaluate over. */
    private static @Nullable ConcurrencyKey concurrencyKey(
            String where, DispatchFunction annotation, Method method, List<String> problems) {
        String expression = annotation.concurrencyKey();
        int perKey = annotation.concurrencyPerKey();
        if (expression.isBlank()) {
            if (perKey != 0) {
                problems.add(where + ": concurrencyPerKey (" + perKey + ") needs a concurrencyKey, e.g."
                        + " concurrencyKey = \"#p0\"");
            }
            return null;
        }
        int before = problems.size();
        if (perKey < 1) {
            problems.add(where + ": concurrencyKey '" + expression + "' needs concurrencyPerKey of at least 1, not "
                    + perKey);
        }
        if (method.getParameterCount() == 0) {
            problems.add(where + ": concurrencyKey '" + expression + "' is evaluated over the arguments, and the"
                    + " method has no parameters");
        }
        ConcurrencyKey key = null;
        try {
            key = ConcurrencyKey.parse(expression, perKey);
        } catch (IllegalArgumentException ex) {
            problems.add(where + ": concurrencyKey " + ex.getMessage());
        }
        return (problems.size() > before) ? null : key;
    }

    @SuppressWarnings("NullAway")
    private static Duration duration(
            String where,
            String attribute,
            String value,
            Supplier<@Nullable Duration> fallback,
            List<String> problems) {
        if (value.isBlank()) {
            return fallback.get();
        }
        try {
            return DurationStyle.detectAndParse(value.trim());
        } catch (IllegalArgumentException ex) {
            problems.add(
                    where + ": " + attribute + " '" + value + "' is not a duration (write e.g. \"500ms\", \"2s\")");
            return Duration.ZERO;
        }
    }

    private static String describe(Method method) {
        return "@DispatchFunction " + method.getDeclaringClass().getName() + "." + method.getName();
    }
}
