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
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

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
    }

    /**
     * Writes a call's arguments as a JSON array.
     *
     * @throws IllegalArgumentException naming the function and the argument that cannot be written
     */
    public String encodeArguments(String function, @Nullable Object[] arguments) {
        ArrayNode array = this.mapper.createArrayNode();
        for (int i = 0; i < arguments.length; i++) {
            try {
                array.add(this.mapper.valueToTree(arguments[i]));
            } catch (JacksonException ex) {
                throw new IllegalArgumentException(
                        "Cannot record a call of " + function + ": argument " + (i + 1)
                                + " (" + typeName(arguments[i]) + ") cannot be serialised to JSON: "
                                + ex.getOriginalMessage(),
                        ex);
            }
        }
        String json = this.mapper.writeValueAsString(array);
        long size = size(json);
        if (size > this.maxPayloadBytes) {
            throw new IllegalArgumentException("Cannot record a call of " + function + ": its arguments are " + size
                    + " bytes of JSON, over dispatch.max-payload-size (" + this.maxPayloadBytes
                    + " bytes); pass a reference to the data (an id, a path) instead of the data itself");
        }
        return json;
    }

    private long size(String json) {
        // Most payloads are far below the limit: count UTF-8 bytes only when the characters could exceed it.
        return (json.length() * 3L <= this.maxPayloadBytes)
                ? json.length()
                : json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /**
     * Reads recorded arguments back with the method's parameter types.
     *
     * @throws IncompatibleStateException naming what does not fit
     */
    public @Nullable Object[] decodeArguments(String function, String json, Type[] types) {
        JsonNode array;
        try {
            array = this.mapper.readTree(json);
        } catch (JacksonException ex) {
            throw new IncompatibleStateException(
                    "The recorded arguments of " + function + " are not valid JSON: " + ex.getOriginalMessage(), ex);
        }
        if (!array.isArray() || array.size() != types.length) {
            throw new IncompatibleStateException("The recorded call of " + function + " has "
                    + (array.isArray() ? array.size() : "no") + " arguments but the method takes " + types.length);
        }
        Object[] arguments = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            try {
                arguments[i] = this.mapper.treeToValue(array.get(i), this.mapper.constructType(types[i]));
            } catch (JacksonException ex) {
                throw new IncompatibleStateException(
                        "The recorded argument " + (i + 1) + " of " + function + " does not fit parameter type "
                                + types[i].getTypeName() + ": " + ex.getOriginalMessage(),
                        ex);
            }
        }
        return arguments;
    }

    /**
     * Writes a result.
     *
     * @throws IllegalArgumentException naming the function if the result cannot be written
     */
    public String encodeResult(String function, @Nullable Object result) {
        String json;
        try {
            json = this.mapper.writeValueAsString(result);
        } catch (JacksonException ex) {
            throw new IllegalArgumentException(
                    "The result of " + function + " (" + typeName(result) + ") cannot be serialised to JSON: "
                            + ex.getOriginalMessage(),
                    ex);
        }
        long size = size(json);
        if (size > this.maxPayloadBytes) {
            throw new IllegalArgumentException("The result of " + function + " is " + size + " bytes of JSON, over"
                    + " dispatch.max-payload-size (" + this.maxPayloadBytes + " bytes); return a reference to the"
                    + " data (an id, a path) instead of the data itself");
        }
        return json;
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
                            + ex.getOriginalMessage(),
                    ex);
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
}
