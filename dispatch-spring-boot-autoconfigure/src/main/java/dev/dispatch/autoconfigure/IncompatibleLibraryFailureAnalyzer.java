package dev.dispatch.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a startup stopped by a library the starter cannot work with: which one, the version found, the range. */
final class IncompatibleLibraryFailureAnalyzer extends AbstractFailureAnalyzer<IncompatibleLibraryException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, IncompatibleLibraryException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Use the " + cause.library() + " version that your Spring Boot line manages (remove the version"
                        + " override from your build), or a Spring Boot line that manages a supported one. Dispatch for"
                        + " Spring Boot supports " + cause.supported() + "; found " + cause.found() + ".",
                cause);
    }
}
