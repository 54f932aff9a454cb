package dev.dispatch.engine;

import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.client.RestClientResponseException;

/**
 * Reads the status and headers of an HTTP error response that Spring's clients throw: {@link
 * RestClientResponseException} (RestClient, RestTemplate) when spring-web is on the class path, and WebFlux's {@code
 * WebClientResponseException} when WebFlux is, reached by reflection since Dispatch does not depend on WebFlux.
 */
final class HttpFailures {

    private static final boolean SPRING_WEB_PRESENT =
            ClassUtils.isPresent("org.springframework.web.client.RestClientResponseException", null);

    private static final @Nullable Class<?> WEB_CLIENT_RESPONSE = webClientResponse();

    private static final @Nullable Method WEB_CLIENT_STATUS = method("getStatusCode");

    private static final @Nullable Method WEB_CLIENT_HEADERS = method("getHeaders");

    private HttpFailures() {}

    /** The HTTP status of an error response, or {@code null} when {@code t} is no such exception. */
    static @Nullable Integer status(Throwable t) {
        if (SPRING_WEB_PRESENT && t instanceof RestClientResponseException http) {
            return http.getStatusCode().value();
        }
        if (isWebClientResponse(t)
                && WEB_CLIENT_STATUS != null
                && ReflectionUtils.invokeMethod(WEB_CLIENT_STATUS, t) instanceof HttpStatusCode code) {
            return code.value();
        }
        return null;
    }

    /** The value of a header of an error response, or {@code null}. */
    static @Nullable String header(Throwable t, String name) {
        HttpHeaders headers = null;
        if (SPRING_WEB_PRESENT && t instanceof RestClientResponseException http) {
            headers = http.getResponseHeaders();
        } else if (isWebClientResponse(t)
                && WEB_CLIENT_HEADERS != null
                && ReflectionUtils.invokeMethod(WEB_CLIENT_HEADERS, t) instanceof HttpHeaders found) {
            headers = found;
        }
        return (headers != null) ? headers.getFirst(name) : null;
    }

    private static boolean isWebClientResponse(Throwable t) {
        return WEB_CLIENT_RESPONSE != null && WEB_CLIENT_RESPONSE.isInstance(t);
    }

    private static @Nullable Class<?> webClientResponse() {
        String name = "org.springframework.web.reactive.function.client.WebClientResponseException";
        ClassLoader loader = HttpFailures.class.getClassLoader();
        if (!SPRING_WEB_PRESENT || !ClassUtils.isPresent(name, loader)) {
            return null;
        }
        return ClassUtils.resolveClassName(name, loader);
    }

    private static @Nullable Method method(String name) {
        return (WEB_CLIENT_RESPONSE != null) ? ReflectionUtils.findMethod(WEB_CLIENT_RESPONSE, name) : null;
    }
}
