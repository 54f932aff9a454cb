package dev.dispatch.aop;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * A function's concurrency key ({@code @DispatchFunction(concurrencyKey = "#p0.domain", concurrencyPerKey = 2)}): a
 * SpEL expression over a call's arguments whose value names what calls contend for; at most {@link #perKey()} attempts
 * with the same value run at once, across all nodes. The value is computed once, when the call is recorded, and kept in
 * its row, so claims on every node count it without running the expression again.
 */
public final class ConcurrencyKey {

    /** Length of the {@code concurrency_key} column: a longer value is kept as a hash of it. */
    static final int MAX_LENGTH = 255;

    private static final SpelExpressionParser PARSER = new SpelExpressionParser();

    private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

    private final String text;

    private final Expression expression;

    private final int perKey;

    private ConcurrencyKey(String text, Expression expression, int perKey) {
        this.text = text;
        this.expression = expression;
        this.perKey = perKey;
    }

    /**
     * Parses the expression.
     *
     * @throws IllegalArgumentException when it is not SpEL, saying why
     */
    public static ConcurrencyKey parse(String text, int perKey) {
        try {
            return new ConcurrencyKey(text, PARSER.parseExpression(text), perKey);
        } catch (ParseException ex) {
            throw new IllegalArgumentException("'" + text + "' is not a SpEL expression: " + ex.getSimpleMessage(), ex);
        }
    }

    /** The expression as written. */
    public String expression() {
        return this.text;
    }

    /** Most attempts running at once per value. */
    public int perKey() {
        return this.perKey;
    }

    /**
     * The key of a call of {@code method} with these arguments, as recorded: the value's text (hashed when longer than
     * the column), or {@code null} when the value is {@code null} (the call is then limited by no key).
     *
     * @throws IllegalArgumentException when the expression fails over these arguments
     */
    public @Nullable String valueFor(Method method, @Nullable Object[] arguments) {
        MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(null, method, arguments, NAMES);
        Object value;
        try {
            value = this.expression.getValue(context);
        } catch (EvaluationException ex) {
            throw new IllegalArgumentException(
                    "concurrencyKey '" + this.text + "' could not be evaluated over the arguments: " + ex.getMessage(),
                    ex);
        }
        if (value == null) {
            return null;
        }
        String key = String.valueOf(value);
        return (key.length() <= MAX_LENGTH) ? key : hashed(key);
    }

    private static String hashed(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is not available", ex);
        }
    }

    @Override
    public String toString() {
        return this.text + " (" + this.perKey + " per key)";
    }
}
