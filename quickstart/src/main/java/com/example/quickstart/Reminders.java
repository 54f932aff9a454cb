package com.example.quickstart;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import java.time.Duration;
import org.springframework.stereotype.Service;

@Service
public class Reminders {

    private final Dispatcher dispatcher;

    private final Mailer mailer;

    public Reminders(Dispatcher dispatcher, Mailer mailer) {
        this.dispatcher = dispatcher;
        this.mailer = mailer;
    }

    /** A welcome now and a reminder a day later: the sleep holds no thread and survives restarts. */
    @DispatchFunction
    public String welcomeThenRemind(String email) {
        mailer.sendWelcome(email);
        dispatcher.sleep(Duration.ofDays(1));
        return mailer.sendReminder(email);
    }
}
