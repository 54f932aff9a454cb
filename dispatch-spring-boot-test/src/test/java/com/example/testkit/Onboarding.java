package com.example.testkit;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;

/** A welcome mail now, a follow-up a day later; version 2 of the code greets first. */
@Service
class Onboarding {

    private final Dispatcher dispatcher;

    private final Mailer mailer;

    private volatile int version = 1;

    private final AtomicInteger flakyCalls = new AtomicInteger();

    Onboarding(Dispatcher dispatcher, Mailer mailer) {
        this.dispatcher = dispatcher;
        this.mailer = mailer;
    }

    /** Deploys another version of {@link #welcome} (a method: the bean is a proxy). */
    public void setVersion(int version) {
        this.version = version;
    }

    public int flakyCalls() {
        return this.flakyCalls.get();
    }

    @DispatchFunction
    public List<String> welcome(String email) {
        if (this.version == 2) {
            this.mailer.send(email, "hello");
        }
        String first = this.mailer.send(email, "welcome");
        this.dispatcher.sleep(Duration.ofDays(1));
        String second = this.mailer.send(email, "how is it going?");
        return List.of(first, second);
    }

    /** Waits two days for the address to be confirmed (a signal), then says who confirmed it, or that nobody did. */
    @DispatchFunction
    public String confirm(String email) {
        return this.dispatcher
                .awaitSignal("confirm:" + email, String.class, Duration.ofDays(2))
                .map(by -> "confirmed by " + by)
                .orElse("not confirmed");
    }

    @DispatchFunction
    public List<String> newsletter(List<String> emails) {
        return this.dispatcher.gather(emails, email -> this.mailer.send(email, "news"));
    }

    /** Fails its first attempt; the next comes after a ten-minute back-off. */
    @DispatchFunction(maxAttempts = 3, initialBackoff = "10m", maxBackoff = "1h")
    public int flaky() {
        if (this.flakyCalls.incrementAndGet() == 1) {
            throw new IllegalStateException("the service is down");
        }
        return 42;
    }

    @DispatchFunction
    public void nap(Duration duration) {
        this.dispatcher.sleep(duration);
    }
}
