package dev.dispatch.aop;

import dev.dispatch.DispatchFunction;
import java.util.function.Supplier;
import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;

/**
 * Applies the dispatch interceptor to {@code @DispatchFunction} methods. Its order puts it outside
 * {@code @Transactional} by default, so each attempt runs in a transaction of its own.
 */
public final class DispatchFunctionAdvisor extends AbstractPointcutAdvisor {

    private static final long serialVersionUID = 1L;

    private final transient Pointcut pointcut = AnnotationMatchingPointcut.forMethodAnnotation(DispatchFunction.class);

    private final transient Advice advice;

    /**
     * @param registry the registered functions
     * @param handler the engine, looked up on first call so that creating the advisor early (as advisors are)
     *     does not create the engine and its persistence early
     * @param order the advisor's order; lower than {@code @Transactional}'s to run outside it
     */
    public DispatchFunctionAdvisor(FunctionRegistry registry, Supplier<CallHandler> handler, int order) {
        this.advice = new DispatchFunctionInterceptor(registry, handler);
        setOrder(order);
    }

    @Override
    public Pointcut getPointcut() {
        return this.pointcut;
    }

    @Override
    public Advice getAdvice() {
        return this.advice;
    }
}
