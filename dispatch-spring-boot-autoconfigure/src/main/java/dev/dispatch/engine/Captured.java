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

    /** {@code name(json)}, for messages. */
    String describe() {
        String args = this.json.length() > 200 ? this.json.substring(0, 200) + "..." : this.json;
        return this.function.name() + args.replaceFirst("^\\[", "(").replaceFirst("]$", ")");
    }
}
