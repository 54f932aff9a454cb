package dev.dispatch.sample.notify;

/**
 * A user as the email step sees it. Durable calls record their arguments as JSON, so they take records like this one
 * rather than JPA entities.
 */
public record Recipient(long id, String email, String name) {}
