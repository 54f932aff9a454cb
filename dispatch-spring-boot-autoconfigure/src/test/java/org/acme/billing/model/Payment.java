package org.acme.billing.model;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/** The application's own entity. */
@Entity
public class Payment {

    @Id
    @GeneratedValue
    private Long id;

    private long cents;

    protected Payment() {}

    public Payment(long cents) {
        this.cents = cents;
    }

    public Long getId() {
        return this.id;
    }

    public long getCents() {
        return this.cents;
    }
}
