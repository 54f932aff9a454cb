package dev.dispatch.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.CallFailedException;
import dev.dispatch.DispatchId;
import dev.dispatch.PermanentFailureException;
import dev.dispatch.Status;
import dev.dispatch.ThrottledException;
import dev.dispatch.aop.FunctionDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;

class ClassifierTests {

    private final Classifier classifier = new Classifier();

    @Test
    void aCyclicCauseChainIsWalkedOnce() {
        IllegalStateException a = new IllegalStateException("a");
        IllegalStateException b = new IllegalStateException("b", a);
        a.initCause(b);

        Status status = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                Duration.ofSeconds(5), () -> this.classifier.classify(a));

        assertThat(status).isEqualTo(Status.TEMPORARY_ERROR);
    }

    @Test
    void unknownExceptionsAreTemporaryBecauseSpringUsersExpectRetry() {
        assertThat(this.classifier.classify(new IllegalStateException("boom"))).isEqualTo(Status.TEMPORARY_ERROR);
        assertThat(this.classifier.classify(new NullPointerException())).isEqualTo(Status.TEMPORARY_ERROR);
    }

    @Test
    void userCodeClassifiesItsOwnFailures() {
        assertThat(this.classifier.classify(new PermanentFailureException("no")))
                .isEqualTo(Status.PERMANENT_ERROR);
        assertThat(this.classifier.classify(new ThrottledException("slow down")))
                .isEqualTo(Status.THROTTLED);
        assertThat(this.classifier.classify(new IllegalArgumentException("bad")))
                .isEqualTo(Status.INVALID_ARGUMENT);
    }

    @Test
    void httpStatusesMapLikeDispatchsRules() {
        assertThat(this.classifier.classify(http(HttpStatus.REQUEST_TIMEOUT))).isEqualTo(Status.TIMEOUT);
        assertThat(this.classifier.classify(http(HttpStatus.TOO_MANY_REQUESTS))).isEqualTo(Status.THROTTLED);
        assertThat(this.classifier.classify(http(HttpStatus.BAD_REQUEST))).isEqualTo(Status.PERMANENT_ERROR);
        assertThat(this.classifier.classify(http(HttpStatus.FORBIDDEN))).isEqualTo(Status.PERMISSION_DENIED);
        assertThat(this.classifier.classify(
                        HttpServerErrorException.create(HttpStatus.BAD_GATEWAY, "", null, null, null)))
                .isEqualTo(Status.TEMPORARY_ERROR);
    }

    @Test
    void ioFailuresAreRetriedEvenWhenWrapped() {
        assertThat(this.classifier.classify(new ResourceAccessException("io", new SocketTimeoutException())))
                .isEqualTo(Status.TIMEOUT);
        assertThat(this.classifier.classify(new UncheckedIOException(new IOException("reset"))))
                .isEqualTo(Status.TEMPORARY_ERROR);
        assertThat(this.classifier.classify(new ResourceAccessException("io", new ConnectException("refused"))))
                .isEqualTo(Status.TCP_ERROR);
    }

    @Test
    void aChildsFailureThatTheParentDoesNotCatchIsNotRetried() {
        CallFailedException failed =
                new CallFailedException(DispatchId.of("x"), "f", Status.PERMANENT_ERROR, "T", "m", null);
        assertThat(this.classifier.classify(failed)).isEqualTo(Status.PERMANENT_ERROR);
    }

    @Test
    void retryOnAndNoRetryOnOverrideTheClassification() throws Exception {
        FunctionDefinition function = new FunctionDefinition(
                "f",
                "bean",
                Object.class.getMethod("toString"),
                new java.lang.reflect.Type[0],
                String.class,
                3,
                Duration.ofMillis(1),
                Duration.ofMillis(1),
                2.0,
                null,
                List.of(PermanentFailureException.class),
                List.of(DataIntegrityViolationException.class),
                null,
                0);
        assertThat(this.classifier.classify(new PermanentFailureException("x"), function))
                .isEqualTo(Status.TEMPORARY_ERROR);
        assertThat(this.classifier.classify(new DataIntegrityViolationException("dup"), function))
                .isEqualTo(Status.PERMANENT_ERROR);
        assertThat(this.classifier.classify(
                        new IllegalStateException("wrapped", new DataIntegrityViolationException("dup")), function))
                .as("noRetryOn follows the cause chain")
                .isEqualTo(Status.PERMANENT_ERROR);
        assertThat(this.classifier.classify(
                        new IllegalStateException("wrapped", new PermanentFailureException("x")), function))
                .as("retryOn follows the cause chain")
                .isEqualTo(Status.TEMPORARY_ERROR);
    }

    private static HttpClientErrorException http(HttpStatus status) {
        return HttpClientErrorException.create(status, "", null, null, null);
    }
}
