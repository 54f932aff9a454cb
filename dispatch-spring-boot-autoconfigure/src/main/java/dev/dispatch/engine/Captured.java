package dev.dispatch.engine;

import dev.dispatch.aop.FunctionDefinition;
import org.jspecify.annotations.Nullable;

/**
 * A call recorded instead of run: the function and its arguments (already written as JSON).
 *
 * @param function the function called
 * @param arguments the arguments as given
 * @param json the arguments as recorded
 */
record Captured(FunctionDefinition function, @Nullable Object[] arguments, String json) {

    /** {@code name(arguments)}, for messages. */
    String describe() {
        return this.function.name() + arguments(this.json);
    }

    /** A recorded JSON argument array as {@code (a,b)}, shortened for messages. */
    static String arguments(String json) {
        String inner = json.startsWith("[") && json.endsWith("]") ? json.substring(1, json.length() - 1) : json;
        return "(" + (inner.length() > 200 ? inner.substring(0, 200) + "..." : inner) + ")";
    }

    /** Tells the listener how many calls of each function were recorded. */
    static void announce(EngineListener listener, java.util.List<Captured> calls) {
        java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (Captured call : calls) {
            counts.merge(call.function().name(), 1, Integer::sum);
        }
        counts.forEach(listener::dispatched);
    }
}
