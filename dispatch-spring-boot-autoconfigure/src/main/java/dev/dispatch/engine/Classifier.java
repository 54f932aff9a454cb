package dev.dispatch.engine;

import dev.dispatch.AnyFailedException;
import dev.dispatch.CallFailedException;
import dev.dispatch.NonDeterminismException;
import dev.dispatch.PermanentFailureException;
import dev.dispatch.Status;
import dev.dispatch.TemporaryFailureException;
import dev.dispatch.ThrottledException;
import dev.dispatch.aop.FunctionDefinition;
import dev.dispatch.codec.IncompatibleStateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClientResponseException;

/**
 * Maps an attempt's exception to a {@link Status}, which decides whether it is retried. Unknown exceptions are
 * temporary (retried up to the attempts allowed): Spring users expect retry. The first exception in the cause chain
 * with a known meaning decides.
 */
final class Classifier {

    private static final boolean SPRING_WEB_PRESENT =
            ClassUtils.isPresent("org.springframework.web.client.RestClientResponseException", null);

    private static final String ACCESS_DENIED = "org.springframework.security.access.AccessDeniedException";

    Status classify(Throwable failure, FunctionDefinition function) {
        for (Class<? extends Throwable> type : function.noRetryOn()) {
            if (type.isInstance(failure)) {
                return Status.PERMANENT_ERROR;
            }
        }
        for (Class<? extends Throwable> type : function.retryOn()) {
            if (type.isInstance(failure)) {
                Status status = classify(failure);
                return status.isTemporary() ? status : Status.TEMPORARY_ERROR;
            }
        }
        return classify(failure);
    }

    Status classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
            Status status = known(t);
            if (status != null) {
                return status;
            }
        }
        return Status.TEMPORARY_ERROR;
    }

    private static @Nullable Status known(Throwable t) {
        if (t instanceof AttemptTimeoutException
                || t instanceof TimeoutException
                || t instanceof SocketTimeoutException) {
            return Status.TIMEOUT;
        }
        if (t instanceof CallFailedException
                || t instanceof AnyFailedException
                || t instanceof NonDeterminismException
                || t instanceof PermanentFailureException) {
            return Status.PERMANENT_ERROR;
        }
        if (t instanceof TemporaryFailureException) {
            return Status.TEMPORARY_ERROR;
        }
        if (t instanceof ThrottledException) {
            return Status.THROTTLED;
        }
        if (t instanceof IncompatibleStateException) {
            return Status.INCOMPATIBLE_STATE;
        }
        if (t instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT;
        }
        if (t instanceof SecurityException || ACCESS_DENIED.equals(t.getClass().getName())) {
            return Status.PERMISSION_DENIED;
        }
        if (SPRING_WEB_PRESENT && t instanceof RestClientResponseException http) {
            return http(http.getStatusCode().value());
        }
        if (t instanceof UnknownHostException) {
            return Status.DNS_ERROR;
        }
        if (t instanceof ConnectException || t instanceof SocketException) {
            return Status.TCP_ERROR;
        }
        if (t instanceof IOException || t instanceof UncheckedIOException) {
            return Status.TEMPORARY_ERROR;
        }
        return null;
    }

    /** Dispatch's HTTP rules: 408 timeout, 429 throttled, other 4xx permanent, 5xx temporary. */
    static Status http(int code) {
        return switch (code) {
            case 408 -> Status.TIMEOUT;
            case 429 -> Status.THROTTLED;
            case 401 -> Status.UNAUTHENTICATED;
            case 403 -> Status.PERMISSION_DENIED;
            case 404 -> Status.NOT_FOUND;
            default -> (code >= 400 && code < 500) ? Status.PERMANENT_ERROR : Status.TEMPORARY_ERROR;
        };
    }
}
