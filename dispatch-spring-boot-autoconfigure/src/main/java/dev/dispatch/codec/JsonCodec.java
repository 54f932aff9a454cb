package dev.dispatch.codec;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.TreeNode;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Arguments and results as JSON, through the application's Jackson {@link JsonMapper}, read back with the method's
 * generic types. Nothing stored names a class: no default typing, no Java serialization, so nothing read from the
 * database can choose what to instantiate.
 */
public final class JsonCodec {

    /** The default largest JSON text of a call's arguments or of a result: 1 MiB. */
    public static final long DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

    private final JsonMapper mapper;

    private final long maxPayloadBytes;

    public JsonCodec(JsonMapper mapper) {
        this(mapper, DEFAULT_MAX_PAYLOAD_BYTES);
    }

    /**
     * @param mapper the application's mapper
     * @param maxPayloadBytes the largest JSON text (UTF-8) of a call's arguments or of a result
     */
    public JsonCodec(JsonMapper mapper, long maxPayloadBytes) {
        this.mapper = mapper;
        this.maxPayloadBytes = maxPayloadBytes;
        // Loaded now: a class first loaded while a deep (cyclic) graph has used up the stack stays broken for good.
        TokenStreamLocation.NA.toString();
    }

    /**
     * Writes a call's arguments as a JSON array, stopping at {@code dispatch.max-payload-size}.
     *
     * @throws IllegalArgumentException naming the function and the argument that cannot be written: too large, a
     *     cyclic object graph, or not serialisable
     */
    public String encodeArguments(String function, @Nullable Object[] arguments) {
        LimitedOutput out = new LimitedOutput(this.maxPayloadBytes);
        int i = 0;
        try (JsonGenerator generator = this.mapper.createGenerator(out)) {
            generator.writeStartArray();
            for (; i < arguments.length; i++) {
                this.mapper.writeValue(generator, arguments[i]);
            }
            generator.writeEndArray();
        } catch (JacksonException | StackOverflowError ex) {
            String subject = "Cannot record a call of " + function + ": ";
            if (out.exceeded()) {
                throw new IllegalArgumentException(subject + "its arguments are over dispatch.max-payload-size ("
                        + this.maxPayloadBytes + " bytes) of JSON; pass a reference to the data (an id, a path)"
                        + " instead of the data itself");
            }
            String argument = "argument " + (i + 1) + " (" + typeName(i < arguments.length ? arguments[i] : null) + ")";
            throw new IllegalArgumentException(subject + argument + " " + whyNotWritten(ex), ex);
        }
        return out.text();
    }

    private static String whyNotWritten(Throwable ex) {
        if (ex instanceof StackOverflowError
                || ex instanceof StreamConstraintsException
                || (ex.getMessage() != null && ex.getMessage().contains("cycle"))) {
            return "has a cyclic object graph (or one nested too deeply) and cannot be written as JSON; pass the data"
                    + " without back references (ids instead of objects that point at each other)";
        }
        return "cannot be serialised to JSON: "
                + (ex instanceof JacksonException jackson ? jackson.getOriginalMessage() : ex.toString());
    }

    /**
     * Reads recorded arguments back with the method's parameter types.
     *
     * @throws IncompatibleStateException naming what does not fit
     */
    @SuppressWarnings("deprecation") // treeToValue(TreeNode, JavaType): the one that every Jackson 3.x has
    public @Nullable Object[] decodeArguments(String function, String json, Type[] types) {
        JsonNode array;
        try {
            array = this.mapper.readTree(json);
        } catch (JacksonException ex) {
            throw new IncompatibleStateException(
                    "The recorded arguments of " + function + " are not valid JSON: " + problem(ex), ex);
        }
        if (!array.isArray() || array.size() != types.length) {
            throw new IncompatibleStateException("The recorded call of " + function + " has "
                    + (array.isArray() ? array.size() : "no") + " arguments but the method takes " + types.length);
        }
        Object[] arguments = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            try {
                // TreeNode, not JsonNode: Jackson 3.1 added a JsonNode overload that Jackson 3.0 (Boot 4.0.0-4.0.6)
                // lacks
                TreeNode argument = array.get(i);
                arguments[i] = this.mapper.treeToValue(argument, this.mapper.constructType(types[i]));
            } catch (JacksonException ex) {
                throw new IncompatibleStateException(
                        "The recorded argument " + (i + 1) + " of " + function + " does not fit parameter type "
                                + types[i].getTypeName() + ": " + problem(ex),
                        ex);
            }
        }
        return arguments;
    }

    /**
     * Writes a result, stopping at {@code dispatch.max-payload-size}.
     *
     * @throws IllegalArgumentException naming the function if the result cannot be written
     */
    public String encodeResult(String function, @Nullable Object result) {
        LimitedOutput out = new LimitedOutput(this.maxPayloadBytes);
        try (JsonGenerator generator = this.mapper.createGenerator(out)) {
            this.mapper.writeValue(generator, result);
        } catch (JacksonException | StackOverflowError ex) {
            if (out.exceeded()) {
                throw new IllegalArgumentException("The result of " + function + " is over dispatch.max-payload-size ("
                        + this.maxPayloadBytes + " bytes) of JSON; return a reference to the data (an id, a path)"
                        + " instead of the data itself");
            }
            throw new IllegalArgumentException(
                    "The result of " + function + " (" + typeName(result) + ") " + whyNotWritten(ex), ex);
        }
        return out.text();
    }

    /**
     * Reads a recorded result back.
     *
     * @throws IncompatibleStateException naming what does not fit
     */
    public @Nullable Object decodeResult(String function, @Nullable String json, Type type) {
        if (json == null || type == void.class || type == Void.class) {
            return null;
        }
        try {
            JavaType javaType = this.mapper.constructType(type);
            return this.mapper.readValue(json, javaType);
        } catch (JacksonException ex) {
            throw new IncompatibleStateException(
                    "The recorded result of " + function + " does not fit return type " + type.getTypeName() + ": "
                            + problem(ex),
                    ex);
        }
    }

    /**
     * Writes a sample value the way calls and results are written and reads it back with its generic types, as a
     * replay would: a Jackson this codec cannot work with fails here, at startup, instead of in every call.
     *
     * @throws RuntimeException or {@link LinkageError} from Jackson, or {@link IllegalStateException} if the value read
     *     back differs from the one written
     */
    public void checkRoundTrip() {
        String function = "dispatch.startupCheck";
        Type[] types = {
            RoundTripSample.class,
            ResolvableType.forClassWithGenerics(List.class, Instant.class).getType()
        };
        RoundTripSample sample = RoundTripSample.create();
        List<Instant> times = List.of(Instant.parse("2026-01-02T03:04:05.123456Z"));
        @Nullable
        Object[] read = decodeArguments(function, encodeArguments(function, new Object[] {sample, times}), types);
        Object result = decodeResult(function, encodeResult(function, sample), RoundTripSample.class);
        if (!sample.equals(read[0]) || !times.equals(read[1]) || !sample.equals(result)) {
            throw new IllegalStateException(
                    "wrote " + sample + " and " + times + ", read back " + read[0] + ", " + read[1] + " and " + result);
        }
    }

    /** The version of the Jackson databind this codec runs on, e.g. {@code 3.0.4}. */
    public String jacksonVersion() {
        return this.mapper.version().toString();
    }

    /** A value with the shapes calls carry: text beyond ASCII, numbers, a time, nested generic collections. */
    record RoundTripSample(String text, long number, double ratio, Instant at, List<Map<String, Integer>> nested) {

        static RoundTripSample create() {
            return new RoundTripSample(
                    "caf\u00e9 \u2713",
                    Long.MAX_VALUE,
                    0.25,
                    Instant.parse("2026-01-02T03:04:05Z"),
                    List.of(Map.of("k", 7)));
        }
    }

    /**
     * Why values of this declared type cannot be recorded and read back as plain JSON, or {@code null} if they can.
     */
    public @Nullable String problemWith(Type type) {
        if (type instanceof TypeVariable<?> variable) {
            return "type variable " + variable.getName() + " has no concrete type to read a recorded value back as";
        }
        if (type instanceof WildcardType wildcard) {
            Type[] upper = wildcard.getUpperBounds();
            return upper.length == 1 ? problemWith(upper[0]) : "a wildcard without a single bound";
        }
        if (type instanceof GenericArrayType array) {
            return problemWith(array.getGenericComponentType());
        }
        if (type instanceof ParameterizedType parameterized) {
            String problem = problemWith(parameterized.getRawType());
            if (problem != null) {
                return problem;
            }
            for (Type argument : parameterized.getActualTypeArguments()) {
                // Object inside a collection or map is free-form JSON data (maps, lists, strings, numbers): readable.
                if (argument == Object.class) {
                    continue;
                }
                problem = problemWith(argument);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        if (!(type instanceof Class<?> clazz)) {
            return "unsupported type";
        }
        if (clazz.isArray()) {
            return problemWith(clazz.getComponentType());
        }
        if (clazz.isPrimitive() || clazz.isEnum() || clazz.isRecord()) {
            return null;
        }
        if (java.util.concurrent.Future.class.isAssignableFrom(clazz)
                || java.util.concurrent.CompletionStage.class.isAssignableFrom(clazz)) {
            // written as JSON, a CompletableFuture is its state ({"done":true,...}), never its value; read back, it is
            // a future that never completes
            return clazz.getName() + " is an asynchronous result, not data; return the value itself (a durable"
                    + " function's caller already waits for it, and dispatch() does not wait)";
        }
        if (Runnable.class.isAssignableFrom(clazz)
                || java.util.concurrent.Callable.class.isAssignableFrom(clazz)
                || java.util.function.Supplier.class.isAssignableFrom(clazz)
                || java.util.function.Function.class.isAssignableFrom(clazz)
                || InputStream.class.isAssignableFrom(clazz)
                || OutputStream.class.isAssignableFrom(clazz)
                || Reader.class.isAssignableFrom(clazz)
                || Writer.class.isAssignableFrom(clazz)
                || Thread.class.isAssignableFrom(clazz)
                || java.sql.Connection.class.isAssignableFrom(clazz)
                || javax.sql.DataSource.class.isAssignableFrom(clazz)
                || Class.class == clazz) {
            return clazz.getName() + " is behaviour or a resource, not data; pass the data it works on instead";
        }
        if (clazz == Object.class) {
            return "java.lang.Object gives no type to read a recorded value back as; declare the concrete type";
        }
        boolean abstractType = clazz.isInterface() || Modifier.isAbstract(clazz.getModifiers());
        if (abstractType && !isReadableAbstraction(clazz) && !hasTypeInfo(clazz)) {
            return clazz.getName() + " is abstract and recorded JSON names no class (by design, for safety);"
                    + " declare a concrete type, or annotate it with @JsonTypeInfo/@JsonSubTypes";
        }
        return null;
    }

    private static boolean isReadableAbstraction(Class<?> clazz) {
        return Collection.class.isAssignableFrom(clazz)
                || Map.class.isAssignableFrom(clazz)
                || CharSequence.class == clazz
                || Number.class == clazz
                || Optional.class == clazz
                || java.time.temporal.Temporal.class.isAssignableFrom(clazz)
                || JsonNode.class.isAssignableFrom(clazz);
    }

    private static boolean hasTypeInfo(Class<?> clazz) {
        return clazz.isAnnotationPresent(com.fasterxml.jackson.annotation.JsonTypeInfo.class)
                || clazz.isAnnotationPresent(tools.jackson.databind.annotation.JsonDeserialize.class);
    }

    private static String typeName(@Nullable Object value) {
        return value != null ? value.getClass().getName() : "null";
    }

    /**
     * What went wrong reading a recorded value, without quoting it: Jackson's message may show the value (an e-mail
     * address the actuator masks), and this message is stored and listed as the call's error.
     */
    private static String problem(JacksonException ex) {
        return ex.getClass().getSimpleName() + " (the value is not quoted; see the cause)";
    }
}
