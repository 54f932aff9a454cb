package dev.dispatch.sample.invoice;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/** A client to invoice, in the {@code client_account} table. */
@Entity
@Table(name = "client_account")
public class ClientAccount {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String name;

    @Column(name = "billing_address")
    private @Nullable String billingAddress;

    @Column(name = "monthly_fee")
    private BigDecimal monthlyFee;

    protected ClientAccount() {}

    public ClientAccount(String name, @Nullable String billingAddress, BigDecimal monthlyFee) {
        this.name = name;
        this.billingAddress = billingAddress;
        this.monthlyFee = monthlyFee;
    }

    /** The snapshot a durable call records: plain data, not a managed entity. */
    public Client toClient() {
        return new Client(this.id, this.name, this.billingAddress, this.monthlyFee);
    }
}
