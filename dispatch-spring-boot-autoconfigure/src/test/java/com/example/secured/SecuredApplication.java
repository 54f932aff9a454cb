package com.example.secured;

import dev.dispatch.DispatchFunction;
import dev.dispatch.PermanentFailureException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Service;

/**
 * An application that secures the console as docs/operations.md shows: only operators reach it, and Spring Security's
 * CSRF protection stays on. (Spring Security is set up by hand here: the rest of the suite runs without it.)
 */
@SpringBootApplication
@EnableWebSecurity
public class SecuredApplication {

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.requestMatchers("/dispatch/**")
                        .hasRole("OPS")
                        .anyRequest()
                        .permitAll())
                .httpBasic(Customizer.withDefaults())
                .build();
    }

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("ops")
                        .password("{noop}ops-secret")
                        .roles("OPS")
                        .build(),
                User.withUsername("dev")
                        .password("{noop}dev-secret")
                        .roles("DEV")
                        .build());
    }

    /** A function that fails until fixed. */
    @Service
    public static class Imports {

        private final AtomicBoolean broken = new AtomicBoolean(true);

        public void fix() {
            this.broken.set(false);
        }

        @DispatchFunction
        public String load(String file) {
            if (this.broken.get()) {
                throw new PermanentFailureException(file + " is not there");
            }
            return "loaded " + file;
        }
    }
}
