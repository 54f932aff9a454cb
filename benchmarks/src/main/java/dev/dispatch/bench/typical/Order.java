package dev.dispatch.bench.typical;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An application's own entity, as any JPA application has (the workload does not touch it). */
@Entity
@Table(name = "shop_order")
public class Order {

    @Id
    @GeneratedValue
    private Long id;

    private String customer;

    protected Order() {}

    public Order(String customer) {
        this.customer = customer;
    }

    public Long getId() {
        return this.id;
    }

    public String getCustomer() {
        return this.customer;
    }
}
