package com.example.shop.actuator;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.shop.ShopApplication;
import dev.dispatch.actuate.OperatorAccess;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Write operations opened through Spring Boot's endpoint access; bad ids are the caller's mistake, not the server's. */
@SpringBootTest(
        classes = ShopApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "management.endpoints.web.exposure.include=dispatch",
            "management.endpoint.dispatch.access=unrestricted"
        })
class EndpointAccessTests {

    @LocalServerPort
    int port;

    @Autowired
    OperatorAccess access;

    @Test
    void unrestrictedAccessOpensTheWriteOperationForTheEndpointAndTheConsole() {
        assertThat(this.access.writeOperations()).isTrue();
    }

    @Test
    void anUnknownIdAnswers404() {
        Http http = new Http(this.port);
        String unknown = UUID.randomUUID().toString();

        assertThat(http.post("/actuator/dispatch/" + unknown, "{\"action\":\"retry\"}")
                        .status())
                .isEqualTo(404);
        assertThat(http.get("/actuator/dispatch/" + unknown).status()).isEqualTo(404);
    }

    @Test
    void aBlankOrMalformedIdAnswers400() {
        Http http = new Http(this.port);

        assertThat(http.post("/actuator/dispatch/%20", "{\"action\":\"cancel\"}")
                        .status())
                .isEqualTo(400);
        assertThat(http.get("/actuator/dispatch/%20").status()).isEqualTo(400);
        assertThat(http.get("/actuator/dispatch/not%20an%20id").status()).isEqualTo(400);
    }

    @Test
    void anUnknownActionAnswers400() {
        Http http = new Http(this.port);

        assertThat(http.post("/actuator/dispatch/" + UUID.randomUUID(), "{\"action\":\"delete\"}")
                        .status())
                .isEqualTo(400);
    }
}
