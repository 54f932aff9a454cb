package com.example.shop;

import dev.dispatch.DispatchFunction;
import org.springframework.stereotype.Service;

/** A function whose argument can hold a value that cannot be written as JSON. */
@Service
public class Archive {

    /** An attachment; its content is whatever the caller gives. */
    public record Attachment(String name, java.util.Map<String, Object> content) {}

    @DispatchFunction
    public void store(Attachment attachment) {}
}
