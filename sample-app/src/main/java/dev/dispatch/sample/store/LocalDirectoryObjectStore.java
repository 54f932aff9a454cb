package dev.dispatch.sample.store;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The default {@link ObjectStore}: a local directory, one file per object, returned as a {@code file:} URI. */
public class LocalDirectoryObjectStore implements ObjectStore {

    private final Path root;

    public LocalDirectoryObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public URI put(String key, Path file) throws IOException {
        Path target = this.root.resolve(key).normalize();
        if (!target.startsWith(this.root)) {
            throw new IllegalArgumentException("Key " + key + " leaves the store");
        }
        Path folder = Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(folder, target.getFileName().toString(), ".part");
        Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target.toUri();
    }

    @Override
    public boolean exists(URI object) {
        return "file".equals(object.getScheme()) && Files.isRegularFile(Path.of(object));
    }
}
