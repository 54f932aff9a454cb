package dev.dispatch.sample;

/** A user to notify. */
public record User(long id, String email) {}
