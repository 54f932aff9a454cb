package com.example.testkit;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;

/**
 * A welcome mail now, a follow-up a day later; version 2 of the code greets first, version 3 signals instead of mailing
 * the welcome and forgets the announcement's mail.
 */
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
        String first;
        if (this.version == 3) {
            // a signal where version 1 mailed: a step that records no call
            this.dispatcher.signal("welcomed:" + email, email);
            first = "welcome";
        } else {
            first = this.mailer.send(email, "welcome");
        }
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

    /** Announces the address (a signal, which records no call), an hour later mails it; version 3 does not mail. */
    @DispatchFunction
    public String announce(String email) {
        this.dispatcher.signal("announced:" + email, email);
        this.dispatcher.sleep(Duration.ofHours(1));
        if (this.version == 3) {
            return "announced";
        }
        return this.mailer.send(email, "announced");
    }

    @DispatchFunction
    public void nap(Duration duration) {
        this.dispatcher.sleep(duration);
    }
}
