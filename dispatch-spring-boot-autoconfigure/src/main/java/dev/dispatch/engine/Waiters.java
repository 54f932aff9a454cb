package dev.dispatch.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Callers on this node waiting for an invocation to finish, told as soon as a local worker finishes it. */
final class Waiters {

    private final ConcurrentMap<String, CompletableFuture<AttemptResult>> waiting = new ConcurrentHashMap<>();

    CompletableFuture<AttemptResult> register(String id) {
        return this.waiting.computeIfAbsent(id, key -> new CompletableFuture<>());
    }

    void complete(String id, AttemptResult result) {
        CompletableFuture<AttemptResult> future = this.waiting.remove(id);
        if (future != null) {
            future.complete(result);
        }
    }

    void forget(String id) {
        this.waiting.remove(id);
    }
}
