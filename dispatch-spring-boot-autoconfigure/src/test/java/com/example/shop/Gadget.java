package com.example.shop;

import java.util.concurrent.atomic.AtomicInteger;

/** A class a planted payload names, to see whether anything instantiates it (nothing must). */
public class Gadget {

    public static final AtomicInteger CONSTRUCTED = new AtomicInteger();

    private String name = "";

    public Gadget() {
        CONSTRUCTED.incrementAndGet();
    }

    public String getName() {
        return this.name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
