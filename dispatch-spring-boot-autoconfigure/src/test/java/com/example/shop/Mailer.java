package com.example.shop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.TemporaryFailureException;
import org.springframework.stereotype.Service;

@Service
public class Mailer {

    private final Ledger ledger;

    public Mailer(Ledger ledger) {
        this.ledger = ledger;
    }

    @DispatchFunction(initialBackoff = "10ms", maxBackoff = "50ms")
    public void sendEmailNotification(User user) {
        String key = "email:" + user.email();
        if (this.ledger.run(key)) {
            throw new TemporaryFailureException("451 mailbox busy for " + user.email());
        }
        this.ledger.succeeded(key);
    }
}
