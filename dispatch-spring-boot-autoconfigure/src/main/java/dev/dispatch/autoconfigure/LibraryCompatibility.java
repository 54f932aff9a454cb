package dev.dispatch.autoconfigure;

import dev.dispatch.codec.JsonCodec;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.SpringVersion;
import org.springframework.util.ClassUtils;

/**
 * Checks at startup that the libraries the application's Spring Boot line brings are ones the starter works with:
 * their versions, and a round trip of a sample value through the application's Jackson exactly as calls and results
 * take it. Every Spring Boot 4.0.x and 4.1.x line passes; a version forced by hand outside that range stops the startup
 * with a message naming the library, the version found and the versions supported.
 */
final class LibraryCompatibility {

    static final String SPRING_BOOT = "Spring Boot 4.0.x and 4.1.x";

    static final String JACKSON = "Jackson (tools.jackson.core:jackson-databind)";

    static final String JACKSON_SUPPORTED = "Jackson 3.0 and later 3.x (as Spring Boot 4.0.x and 4.1.x manage it)";

    private LibraryCompatibility() {}

    /** Checks the versions and the codec's round trip. */
    static void check(JsonCodec codec) {
        requireAtLeast("Spring Boot", SpringBootVersion.getVersion(), 4, 0, SPRING_BOOT);
        requireAtLeast(
                "Spring Framework",
                SpringVersion.getVersion(),
                7,
                0,
                "Spring Framework 7.0 and later 7.x (as Spring Boot 4.0.x and 4.1.x manage it)");
        requireAtLeast(
                "Hibernate ORM",
                hibernateVersion(),
                7,
                1,
                "Hibernate ORM 7.1 and later 7.x (as Spring Boot 4.0.x and 4.1.x manage it)");
        String jackson = jacksonVersion(codec);
        requireAtLeast(JACKSON, jackson, 3, 0, JACKSON_SUPPORTED);
        try {
            codec.checkRoundTrip();
        } catch (RuntimeException | LinkageError ex) {
            throw new IncompatibleLibraryException(
                    JACKSON,
                    (jackson != null) ? jackson : "(version unknown)",
                    JACKSON_SUPPORTED,
                    "a sample value could not be written as a call's arguments and read back (" + ex + ")",
                    ex);
        }
    }

    /**
     * Fails if {@code found} is older than {@code major.minor}; an unknown version (no manifest, e.g. classes from an
     * IDE) is not checked.
     */
    static void requireAtLeast(String library, @Nullable String found, int major, int minor, String supported) {
        if (found == null) {
            return;
        }
        int[] version = parse(found);
        if (version == null) {
            return;
        }
        if (version[0] < major || (version[0] == major && version[1] < minor)) {
            throw new IncompatibleLibraryException(
                    library, found, supported, "it is older than " + major + "." + minor, null);
        }
    }

    /** Major and minor of a version such as {@code 7.2.19.Final} or {@code 3.0.4}, or null if it has none. */
    static int @Nullable [] parse(String version) {
        String[] parts = version.split("[.\\-]");
        if (parts.length < 2) {
            return null;
        }
        try {
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    private static @Nullable String jacksonVersion(JsonCodec codec) {
        try {
            return codec.jacksonVersion();
        } catch (RuntimeException | LinkageError ex) {
            return null;
        }
    }

    private static @Nullable String hibernateVersion() {
        if (!ClassUtils.isPresent("org.hibernate.Version", LibraryCompatibility.class.getClassLoader())) {
            return null;
        }
        try {
            return org.hibernate.Version.getVersionString();
        } catch (RuntimeException | LinkageError ex) {
            return null;
        }
    }
}
