package com.example.quickstart;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import java.util.List;
import org.springframework.stereotype.Service;

@Service
public class Onboarding {

    private final Dispatcher dispatcher;

    private final Mailer mailer;

    public Onboarding(Dispatcher dispatcher, Mailer mailer) {
        this.dispatcher = dispatcher;
        this.mailer = mailer;
    }

    /** Fans out one sendWelcome per address and waits for all of them, durably: a crash resumes it, no mail twice. */
    @DispatchFunction
    public int onboard(List<String> emails) {
        List<String> receipts = dispatcher.gather(emails, mailer::sendWelcome);
        return receipts.size();
    }
}
