package dev.dispatch.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * A library on the application's class path that the starter cannot work with: thrown at startup, so that a mismatch
 * never surfaces as calls failing and being retried to exhaustion.
 */
final class IncompatibleLibraryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String library;

    private final String found;

    private final String supported;

    IncompatibleLibraryException(
            String library, String found, String supported, String problem, @Nullable Throwable cause) {
        super(
                library + " " + found + " cannot be used by Dispatch: " + problem + "; Dispatch supports " + supported,
                cause);
        this.library = library;
        this.found = found;
        this.supported = supported;
    }

    /** The library, e.g. "Jackson (tools.jackson.core:jackson-databind)". */
    String library() {
        return this.library;
    }

    /** The version found on the class path. */
    String found() {
        return this.found;
    }

    /** The versions supported. */
    String supported() {
        return this.supported;
    }
}
