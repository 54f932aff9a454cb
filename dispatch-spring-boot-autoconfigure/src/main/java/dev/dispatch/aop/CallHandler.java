package dev.dispatch.aop;

/** What a call of a durable function through its proxy turns into; implemented by the engine. */
@FunctionalInterface
public interface CallHandler {

    /**
     * Handles one call.
     *
     * @param function the function called
     * @param arguments the call's arguments
     * @param body runs the method itself (through the rest of the advice chain)
     * @return the call's result
     */
    @org.jspecify.annotations.Nullable
    Object handle(FunctionDefinition function, Object[] arguments, Body body) throws Throwable;

    /** The method's own body, behind the proxy. */
    @FunctionalInterface
    interface Body {

        @org.jspecify.annotations.Nullable
        Object proceed() throws Throwable;
    }
}
