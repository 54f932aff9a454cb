package dev.dispatch.aop;

import java.lang.reflect.Method;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.util.ClassUtils;

/** Hands every call of a {@code @DispatchFunction} method to the engine's {@link CallHandler}. */
final class DispatchFunctionInterceptor implements MethodInterceptor {

    private final FunctionRegistry registry;

    private final Supplier<CallHandler> handler;

    DispatchFunctionInterceptor(FunctionRegistry registry, Supplier<CallHandler> handler) {
        this.registry = registry;
        this.handler = handler;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Class<?> targetClass = (target != null)
                ? ClassUtils.getUserClass(AopUtils.getTargetClass(target))
                : invocation.getMethod().getDeclaringClass();
        Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass);
        FunctionDefinition function = this.registry.byMethod(method);
        if (function == null) {
            if (!this.registry.isInitialized()) {
                throw new IllegalStateException("@DispatchFunction " + targetClass.getSimpleName() + "."
                        + method.getName() + " was called before the application context finished starting;"
                        + " make durable calls from an ApplicationRunner, an event listener or later");
            }
            return invocation.proceed();
        }
        return this.handler.get().handle(function, invocation.getArguments(), invocation::proceed);
    }
}
