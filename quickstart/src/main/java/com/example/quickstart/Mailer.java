package com.example.quickstart;

import dev.dispatch.DispatchFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

@Service
public class Mailer {

    private static final Logger log = LoggerFactory.getLogger(Mailer.class);

    /** A durable call of its own: retried on its own if it throws, never run again once it succeeded. */
    @DispatchFunction
    public String sendWelcome(String email) {
        log.info("Welcome, {}!", email); // your mail service here
        return "sent to " + email;
    }

    @DispatchFunction
    public String sendReminder(String email) {
        log.info("Still there, {}?", email);
        return "reminded " + email;
    }
}
