package com.example.shop;

import dev.dispatch.DispatchFunction;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/** Functions whose values must survive being recorded as JSON and read back, and some that must not be. */
@Service
public class Records {

    /** Data of every common shape: records, generic collections, maps, enums, Optional, java.time, null. */
    public record Shipment(
            String id,
            List<Item> items,
            Map<String, Integer> counts,
            Priority priority,
            Optional<String> note,
            Instant sentAt,
            LocalDate due,
            Duration window,
            @Nullable String missing) {}

    public record Item(String sku, int quantity) {}

    public enum Priority {
        LOW,
        HIGH
    }

    /** A value with a free-form part, where a payload could try to name a class. */
    public record Envelope(String kind, Object payload) {}

    @DispatchFunction
    public Shipment echo(Shipment shipment) {
        return shipment;
    }

    @DispatchFunction
    public String join(@Nullable String text, @Nullable Integer number) {
        return text + "/" + number;
    }

    @DispatchFunction(maxAttempts = 2, initialBackoff = "10ms")
    public int twice(int value) {
        return value * 2;
    }

    @DispatchFunction
    public int length(String text) {
        return text.length();
    }

    @DispatchFunction
    public String blob(int size) {
        return "x".repeat(size);
    }

    /** Describes what the recorded JSON became: plain maps and lists, whatever class it names. */
    @DispatchFunction
    public String inspect(Map<String, Object> raw, Envelope envelope) {
        return raw.getClass().getSimpleName() + " " + raw.keySet() + " "
                + envelope.payload().getClass().getSimpleName();
    }
}
