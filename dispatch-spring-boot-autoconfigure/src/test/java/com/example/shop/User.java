package com.example.shop;

/** A user, passed to durable functions as plain data. */
public record User(long id, String email) {}
