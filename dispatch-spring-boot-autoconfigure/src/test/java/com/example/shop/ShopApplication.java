package com.example.shop;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A user's application, in a package unrelated to Dispatch's, with durable functions of its own. */
@SpringBootApplication
public class ShopApplication {}
