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
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Maps an attempt's exception to a {@link Status}, which decides whether it is retried. Unknown exceptions are
 * temporary (retried up to the attempts allowed): Spring users expect retry. The first exception in the cause chain
 * with a known meaning decides.
 */
final class Classifier {

    private static final String ACCESS_DENIED = "org.springframework.security.access.AccessDeniedException";

    /**
     * The function's {@code noRetryOn} and {@code retryOn} first, along the cause chain as the classification goes (an
     * {@code SQLException} wrapped in a {@code DataAccessException} matches {@code SQLException}): the outermost
     * exception that one of them names decides, {@code noRetryOn} first at the same level; then the classification.
     */
    Status classify(Throwable failure, FunctionDefinition function) {
        if (function.noRetryOn().isEmpty() && function.retryOn().isEmpty()) {
            return classify(failure);
        }
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (names(function.noRetryOn(), t)) {
                return Status.PERMANENT_ERROR;
            }
            if (names(function.retryOn(), t)) {
                Status status = classify(failure);
                return status.isTemporary() ? status : Status.TEMPORARY_ERROR;
            }
        }
        return classify(failure);
    }

    private static boolean names(List<Class<? extends Throwable>> types, Throwable t) {
        for (Class<? extends Throwable> type : types) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    Status classify(Throwable failure) {
        // identity, not equals: a cause chain may loop (a's cause b whose cause is a)
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
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
        Integer httpStatus = HttpFailures.status(t);
        if (httpStatus != null) {
            // a 503 that says when to come back asks to slow down, like a 429
            return RetryAfter.isHttpRetryAfter(t) ? Status.THROTTLED : http(httpStatus);
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
