package dev.dispatch.sample;

import dev.dispatch.DispatchFunction;
import org.springframework.stereotype.Service;

/** Uploads a file to the object store and returns the stored object's URI. */
@Service
public class Storage {

    @DispatchFunction
    public String upload(String path) {
        return "store://invoices/" + path.substring(path.lastIndexOf('/') + 1);
    }
}
