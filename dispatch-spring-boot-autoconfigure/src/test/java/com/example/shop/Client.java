package com.example.shop;

/** A client to invoice; a blank billing address cannot be invoiced. */
public record Client(long id, String name, String billingAddress) {}
