package org.acme.billing;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import org.acme.billing.model.Payment;
import org.acme.billing.model.PaymentRepository;
import org.springframework.stereotype.Service;

@Service
public class Payments {

    private final PaymentRepository repository;

    private final Dispatcher dispatcher;

    public Payments(PaymentRepository repository, Dispatcher dispatcher) {
        this.repository = repository;
        this.dispatcher = dispatcher;
    }

    /** Records a payment; returns the invocation's id, the idempotency key a payment provider would get. */
    @DispatchFunction
    public String charge(long cents) {
        this.repository.save(new Payment(cents));
        return this.dispatcher.current().orElseThrow().id().value();
    }
}
