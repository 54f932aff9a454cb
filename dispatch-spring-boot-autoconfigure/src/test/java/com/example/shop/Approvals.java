package com.example.shop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;

/** Waits durably for a person's approval, sent as a signal under the request's key. */
@Service
public class Approvals {

    /** Requests whose filing failed once after the approval arrived. */
    static final Set<String> FILING_FAILED = ConcurrentHashMap.newKeySet();

    private final Dispatcher dispatcher;

    public Approvals(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** "ada approved k", or "no answer for k" once the time-out passed. */
    @DispatchFunction(maxAttempts = 1)
    public String decide(String key, long timeoutMillis) {
        Optional<Approval> approval =
                this.dispatcher.awaitSignal(key, Approval.class, Duration.ofMillis(timeoutMillis));
        return approval.map(a -> a.approver() + (a.approved() ? " approved " : " rejected ") + key)
                .orElse("no answer for " + key);
    }

    /** Files the approval; the filing fails once, so the second attempt replays the wait from the record. */
    @DispatchFunction(maxAttempts = 3, initialBackoff = "5ms")
    public String decideAndFile(String key) {
        Optional<Approval> approval = this.dispatcher.awaitSignal(key, Approval.class, Duration.ofMinutes(5));
        if (FILING_FAILED.add(key)) {
            throw new IllegalStateException("the filing service is down");
        }
        return "filed " + approval.map(Approval::approver).orElse("nobody");
    }

    /** A person's answer. */
    public record Approval(String approver, boolean approved) {}
}
