package com.example.shop;

import dev.dispatch.DispatchFunction;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Service;

/** Functions of different priorities, and fan-outs of different sizes, that note when each call starts. */
@Service
public class Priorities {

    private static final Map<String, List<String>> STARTS = new ConcurrentHashMap<>();

    @DispatchFunction
    public void ordinary(String group, String name) {
        started(group, name);
    }

    @DispatchFunction(priority = 5)
    public void urgent(String group, String name) {
        started(group, name);
    }

    @DispatchFunction(priority = -1)
    public void background(String group, String name) {
        started(group, name);
    }

    /** The calls of a group, in the order they started. */
    public static List<String> starts(String group) {
        return STARTS.getOrDefault(group, List.of());
    }

    private static void started(String group, String name) {
        STARTS.computeIfAbsent(group, g -> new CopyOnWriteArrayList<>()).add(name);
    }
}
