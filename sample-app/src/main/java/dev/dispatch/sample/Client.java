package dev.dispatch.sample;

/** A client to invoice. */
public record Client(long id, String name) {}
