package dev.dispatch.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Explains a startup stopped by a {@code dispatch.*} setting out of its range: each property by its name, the value
 * given, where it was set and the allowed range. Ordered before Boot's general binding analysis.
 */
final class DispatchPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<BindValidationException>
        implements Ordered {

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BindValidationException cause) {
        ValidationErrors errors = cause.getValidationErrors();
        String prefix = errors.getName().toString();
        if (!prefix.equals("dispatch") && !prefix.startsWith("dispatch.")) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        for (ObjectError error : errors) {
            StringBuilder line = new StringBuilder("    ");
            Origin origin = Origin.from(error);
            if (error instanceof FieldError field) {
                String property = prefix + "." + dashed(field.getField());
                if (origin == null) {
                    origin = originOf(property, errors);
                }
                line.append(property);
                line.append(" = '")
                        .append(PropertyRanges.print(field.getRejectedValue()))
                        .append("'");
            } else {
                line.append(prefix);
            }
            line.append(": ").append(error.getDefaultMessage());
            if (origin != null) {
                line.append(" (set in ").append(origin).append(')');
            }
            lines.add(line.toString());
        }
        return new FailureAnalysis(
                "Invalid Dispatch setting" + (lines.size() > 1 ? "s" : "") + ":\n" + String.join("\n", lines),
                "Set each property within its allowed range (docs/configuration.md lists them), or remove it to use"
                        + " the default.",
                cause);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /**
     * Where a property was set, from the properties bound with it. Boot finds the origin of a field error only for a
     * field of the validated object itself, not for one of a nested group ({@code dispatch.retry.max-attempts}).
     */
    private static @Nullable Origin originOf(String property, ValidationErrors errors) {
        for (ConfigurationProperty bound : errors.getBoundProperties()) {
            if (bound.getName().toString().equals(property)) {
                return bound.getOrigin();
            }
        }
        return null;
    }

    /** {@code retry.maxAttempts} as its property name, {@code retry.max-attempts}. */
    static String dashed(String field) {
        StringBuilder dashed = new StringBuilder();
        for (char c : field.toCharArray()) {
            if (Character.isUpperCase(c)) {
                dashed.append('-').append(Character.toLowerCase(c));
            } else {
                dashed.append(c);
            }
        }
        return dashed.toString();
    }
}
