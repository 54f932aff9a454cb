package dev.dispatch.engine;

import dev.dispatch.aop.FunctionDefinition;
import dev.dispatch.codec.JsonCodec;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Capture mode: runs a call's lambda while the dispatch interceptor records the {@code @DispatchFunction} call it
 * makes instead of running it.
 */
final class CallCapture {

    private static final ThreadLocal<@Nullable CallCapture> CURRENT = new ThreadLocal<>();

    private final List<Captured> calls = new ArrayList<>(1);

    private final JsonCodec codec;

    private CallCapture(JsonCodec codec) {
        this.codec = codec;
    }

    static @Nullable CallCapture current() {
        return CURRENT.get();
    }

    /**
     * Records the call instead of making it.
     *
     * @return the value the proxy returns to the lambda: {@code null}, or zero for a primitive
     */
    @Nullable
    Object record(FunctionDefinition function, @Nullable Object[] arguments) {
        this.calls.add(
                new Captured(function, arguments.clone(), this.codec.encodeArguments(function.name(), arguments)));
        Class<?> returnType = function.method().getReturnType();
        return returnType.isPrimitive() && returnType != void.class
                ? Array.get(Array.newInstance(returnType, 1), 0)
                : null;
    }

    /**
     * Runs the lambda in capture mode and returns the one call it made.
     *
     * @param operation what the call was passed to, for messages (e.g. {@code "dispatcher.gather(...)"})
     * @throws IllegalArgumentException if the lambda made no call or more than one
     */
    static Captured captureOne(JsonCodec codec, String operation, Runnable call) {
        CallCapture outer = CURRENT.get();
        CallCapture capture = new CallCapture(codec);
        CURRENT.set(capture);
        try {
            call.run();
        } finally {
            CURRENT.set(outer);
        }
        if (capture.calls.size() == 1) {
            return capture.calls.get(0);
        }
        if (capture.calls.isEmpty()) {
            throw new IllegalArgumentException("The call passed to " + operation + " did not invoke any"
                    + " @DispatchFunction method. A call must invoke exactly one @DispatchFunction method on an"
                    + " injected Spring bean, e.g. () -> mailer.sendEmailNotification(user). The usual cause is a"
                    + " call through 'this' (or on an object that is not a Spring bean), which bypasses the Spring"
                    + " proxy, so Dispatch cannot see it.");
        }
        throw new IllegalArgumentException("The call passed to " + operation + " invoked "
                + capture.calls.size() + " @DispatchFunction methods ("
                + capture.calls.stream().map(c -> c.function().name()).collect(Collectors.joining(", "))
                + ") but must invoke exactly one: pass one call per function, e.g. with a batch or a gather.");
    }
}
