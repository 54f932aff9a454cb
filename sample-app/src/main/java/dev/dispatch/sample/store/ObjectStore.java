package dev.dispatch.sample.store;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Where invoices are uploaded. The sample stores them in a local directory ({@link LocalDirectoryObjectStore}); an
 * S3 implementation ({@code putObject} to a bucket, returning {@code s3://bucket/key}) declared as a bean replaces it.
 * Implementations must be idempotent: putting the same key again replaces the object, as a retried upload does.
 */
public interface ObjectStore {

    /** Stores the file under the key and returns the stored object's URI. */
    URI put(String key, Path file) throws IOException;

    /** Whether the object at this URI exists. */
    boolean exists(URI object);
}
