package dev.dispatch.sample.notify;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A user of the application, in the {@code user_account} table. */
@Entity
@Table(name = "user_account")
public class UserAccount {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String name;

    private String email;

    protected UserAccount() {}

    public UserAccount(String name, String email) {
        this.name = name;
        this.email = email;
    }

    /** The snapshot a durable call records: plain data, not a managed entity. */
    public Recipient toRecipient() {
        return new Recipient(this.id, this.email, this.name);
    }
}
