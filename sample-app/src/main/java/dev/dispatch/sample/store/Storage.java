package dev.dispatch.sample.store;

import dev.dispatch.DispatchFunction;
import dev.dispatch.sample.SampleProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import org.springframework.stereotype.Service;

/** {@code upload_to_s3}: uploads a generated invoice to the {@link ObjectStore} and returns the object's URI. */
@Service
public class Storage {

    public static final String UPLOAD = "storage.upload";

    private final ObjectStore store;

    private final Path invoices;

    public Storage(ObjectStore store, SampleProperties properties) {
        this.store = store;
        this.invoices = properties.invoicesDir().toAbsolutePath().normalize();
    }

    @DispatchFunction(name = UPLOAD)
    public URI upload(String path) {
        Path file = Path.of(path);
        // the key mirrors the file's place under the invoices folder: invoices/<run>/invoice-0017.pdf
        String key =
                "invoices/" + this.invoices.relativize(file.toAbsolutePath().normalize());
        try {
            return this.store.put(key.replace('\\', '/'), file);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // an I/O error: temporary, retried
        }
    }
}
