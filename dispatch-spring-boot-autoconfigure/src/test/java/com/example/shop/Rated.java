package com.example.shop;

import dev.dispatch.DispatchFunction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Service;

/**
 * A rate-limited function that notes when each attempt starts, in a static list so that several nodes (Spring
 * contexts) in one JVM note into the same one.
 */
@Service
public class Rated {

    private static final Map<String, List<Instant>> STARTS = new ConcurrentHashMap<>();

    @DispatchFunction(rateLimit = "5/1s")
    public void fivePerSecond(String group, int index) {
        STARTS.computeIfAbsent(group, g -> new CopyOnWriteArrayList<>()).add(Instant.now());
    }

    /** When the group's attempts started. */
    public static List<Instant> starts(String group) {
        return STARTS.getOrDefault(group, List.of());
    }
}
