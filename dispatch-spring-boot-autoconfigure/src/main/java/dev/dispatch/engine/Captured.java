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

    /**
     * A recorded JSON argument array as {@code (arguments sha256:1a2b3c4d5e6f)}: a hash that tells two calls apart
     * without quoting their values (an error message is shown where values are masked).
     */
    static String arguments(String json) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "(arguments sha256:" + java.util.HexFormat.of().formatHex(hash, 0, 6) + ")";
        } catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is not available", ex);
        }
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
