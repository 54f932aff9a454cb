package dev.dispatch.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
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
            if (error instanceof FieldError field) {
                line.append(prefix).append('.').append(dashed(field.getField()));
                line.append(" = '")
                        .append(PropertyRanges.print(field.getRejectedValue()))
                        .append("'");
            } else {
                line.append(prefix);
            }
            line.append(": ").append(error.getDefaultMessage());
            Origin origin = Origin.from(error);
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
