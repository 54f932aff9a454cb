package dev.dispatch.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.ApplicationPidFileWriter;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The seed's two workflows as a Spring Boot application: {@code notifyAllUsers} fans out one email per user over
 * SMTP, {@code generateInvoices} gathers one PDF per client and then one upload per PDF. Both run on start, and again
 * on {@code POST /notifications} and {@code POST /invoices}.
 */
@SpringBootApplication
@EnableScheduling
@ConfigurationPropertiesScan
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(SampleApplication.class);
        // data/sample.pid (spring.pid.file): what the README's kill -9 demo kills
        application.addListeners(new ApplicationPidFileWriter());
        application.run(args);
    }
}
