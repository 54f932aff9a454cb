package dev.dispatch.sample.store;

import dev.dispatch.DispatchFunction;
import dev.dispatch.sample.SampleProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
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
        Path file = invoice(path);
        // the key mirrors the file's place under the invoices folder: invoices/<run>/invoice-0017.pdf
        String key = "invoices/" + realFolder().relativize(file);
        try {
            return this.store.put(key.replace('\\', '/'), file);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // an I/O error: temporary, retried
        }
    }

    private Path realFolder() {
        try {
            return this.invoices.toRealPath();
        } catch (IOException ex) {
            return this.invoices;
        }
    }

    /**
     * The file to upload, if it is a generated invoice: a PDF under the invoices folder (after resolving links), never
     * any other file the application can read.
     *
     * @throws IllegalArgumentException otherwise (INVALID_ARGUMENT: not retried)
     */
    private Path invoice(String path) {
        Path file;
        try {
            file = Path.of(path).toRealPath();
            Path folder = realFolder();
            if (file.startsWith(folder)
                    && Files.isRegularFile(file)
                    && file.getFileName().toString().endsWith(".pdf")) {
                return file;
            }
        } catch (IOException | java.nio.file.InvalidPathException ex) {
            // no such file, or no invoices folder: not an invoice either
        }
        throw new IllegalArgumentException("Refusing to upload '" + path + "': only invoices (PDF files under "
                + this.invoices + ") are uploaded");
    }
}
