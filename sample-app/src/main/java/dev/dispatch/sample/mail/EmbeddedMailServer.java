package dev.dispatch.sample.mail;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.dispatch.sample.SampleProperties;
import java.io.IOException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An SMTP server inside the application (GreenMail), so the sample needs nothing installed. On by default; with
 * {@code sample.mail.embedded=false} the emails go to {@code spring.mail.host}:{@code spring.mail.port} instead.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "sample.mail.embedded", matchIfMissing = true)
public class EmbeddedMailServer {

    @Bean
    ReceivedMailLog receivedMailLog(SampleProperties properties) throws IOException {
        return new ReceivedMailLog(properties.mailDir().resolve("received.log"));
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    GreenMail greenMail(SampleProperties properties, ReceivedMailLog log) {
        GreenMail server = new GreenMail(
                        new ServerSetup(properties.mail().port(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        // GreenMail keeps its mailboxes in memory; the log keeps, across restarts, what the server accepted. It is
        // written while the server handles the message, before it answers "250 OK" to the sender.
        UserManager users = server.getUserManager();
        MessageDeliveryHandler mailbox = users.getMessageDeliveryHandler();
        users.setMessageDeliveryHandler((message, recipient) -> {
            log.append(message.getMessage(), recipient.getEmail());
            return mailbox.handle(message, recipient);
        });
        return server;
    }
}
