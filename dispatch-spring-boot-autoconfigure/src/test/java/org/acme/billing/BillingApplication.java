package org.acme.billing;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.persistence.autoconfigure.EntityScan;

/** A user's application that names its own entity packages, as many real applications do. */
@SpringBootApplication
@EntityScan("org.acme.billing.model")
public class BillingApplication {}
