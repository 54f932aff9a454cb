package dev.dispatch.sample;

import dev.dispatch.sample.invoice.ClientAccount;
import dev.dispatch.sample.invoice.ClientAccountRepository;
import dev.dispatch.sample.notify.UserAccount;
import dev.dispatch.sample.notify.UserAccountRepository;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Fills the empty tables on first start: users to notify, clients to invoice, client 17 without billing address. */
@Component
@Order(0)
class SampleData implements ApplicationRunner {

    /** The client that cannot be invoiced: its invoice fails for good, the others go on. */
    static final int CLIENT_WITHOUT_ADDRESS = 17;

    private static final Logger logger = LoggerFactory.getLogger(SampleData.class);

    private static final String[] FIRST = {
        "Ada",
        "Alan",
        "Grace",
        "Edsger",
        "Barbara",
        "Donald",
        "Frances",
        "John",
        "Margaret",
        "Niklaus",
        "Radia",
        "Tony",
        "Katherine",
        "Dennis",
        "Hedy"
    };

    private static final String[] LAST = {
        "Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Hamilton", "Wirth",
        "Perlman", "Hoare", "Johnson", "Ritchie", "Lamarr", "Kay", "Thompson", "Goldberg", "Shannon", "Church"
    };

    private static final String[] COMPANY = {
        "Globex",
        "Initech",
        "Umbrella",
        "Hooli",
        "Stark Industries",
        "Wayne Enterprises",
        "Cyberdyne",
        "Soylent",
        "Tyrell",
        "Wonka",
        "Vandelay Industries",
        "Gringotts",
        "Aperture Science",
        "Black Mesa",
        "Oscorp",
        "Monarch Solutions",
        "Acme Corporation",
        "Duff",
        "Prestige Worldwide",
        "Dunder Mifflin"
    };

    private static final String[] STREET = {
        "Harbour Road", "Mill Lane", "Station Street", "Church Walk", "Market Square", "Kings Avenue", "Bridge Street"
    };

    private final UserAccountRepository users;

    private final ClientAccountRepository clients;

    private final SampleProperties properties;

    SampleData(UserAccountRepository users, ClientAccountRepository clients, SampleProperties properties) {
        this.users = users;
        this.clients = clients;
        this.properties = properties;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        if (this.users.count() == 0) {
            List<UserAccount> seeded = new ArrayList<>();
            for (int i = 1; i <= this.properties.seed().users(); i++) {
                String first = FIRST[i % FIRST.length];
                String last = LAST[(i / FIRST.length) % LAST.length];
                String email = (first + "." + last + "." + i + "@example.com").toLowerCase(Locale.ROOT);
                seeded.add(new UserAccount(first + " " + last, email));
            }
            this.users.saveAll(seeded);
            logger.info("Seeded {} users", seeded.size());
        }
        if (this.clients.count() == 0) {
            List<ClientAccount> seeded = new ArrayList<>();
            for (int i = 1; i <= this.properties.seed().clients(); i++) {
                String name =
                        COMPANY[(i - 1) % COMPANY.length] + (i > COMPANY.length ? " " + (i / COMPANY.length + 1) : "");
                String address = (i == CLIENT_WITHOUT_ADDRESS)
                        ? null
                        : (i * 7 % 90 + 1) + " " + STREET[i % STREET.length] + ", Springfield";
                seeded.add(new ClientAccount(name, address, BigDecimal.valueOf(49 + (i * 37L % 400))));
            }
            this.clients.saveAll(seeded);
            logger.info(
                    "Seeded {} clients; client {} has no billing address, on purpose",
                    seeded.size(),
                    CLIENT_WITHOUT_ADDRESS);
        }
    }
}
