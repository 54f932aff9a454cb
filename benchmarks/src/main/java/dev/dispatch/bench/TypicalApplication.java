package dev.dispatch.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code typical} variant of Dispatch's workloads: the application users run (TypicalBenchApplication: Spring MVC
 * on an embedded Tomcat at a random port, Actuator with a Prometheus registry, no tracing bridge, Spring Data JPA
 * with an entity), Boot's defaults (Hikari's pool of 10) and Dispatch's defaults (workers fitted to the pool), on an H2
 * file as the README configures it ({@code jdbc:h2:async:...;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE}).
 *
 * <p>To find which part costs what, the variant may name parts to change, one after a {@code +} each:
 * {@code typical+noweb} (no web server), {@code +nometrics} (no meter registry exports: Prometheus off),
 * {@code +noobs} (the {@code dispatch} observations disabled), {@code +pool18} (the bare variant's pool of 18 and 16
 * workers), {@code +h2file} (the bare variant's H2 URL: {@code jdbc:h2:file:...;WRITE_DELAY=0}), {@code +h2default}
 * (H2's own defaults: the README's URL without {@code WRITE_DELAY=0}, so commits reach the file up to 500 ms later).
 */
final class TypicalApplication {

    static final List<String> PARTS = List.of("noweb", "nometrics", "noobs", "pool18", "h2file", "h2default");

    private final Set<String> changed;

    private TypicalApplication(Set<String> changed) {
        this.changed = changed;
    }

    /** The variant's parts, or null if the variant is not a typical one. */
    static TypicalApplication of(String variant) {
        String[] parts = variant.split("\\+");
        if (!"typical".equals(parts[0])) {
            return null;
        }
        Set<String> changed = new TreeSet<>();
        for (int i = 1; i < parts.length; i++) {
            if (!PARTS.contains(parts[i])) {
                throw new IllegalArgumentException("unknown part " + parts[i] + " of " + variant + "; one of " + PARTS);
            }
            changed.add(parts[i]);
        }
        return new TypicalApplication(changed);
    }

    boolean has(String part) {
        return this.changed.contains(part);
    }

    boolean web() {
        return !has("noweb");
    }

    boolean metrics() {
        return !has("nometrics");
    }

    Map<String, Object> properties(Config config) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.main.banner-mode", "off");
        p.put("spring.datasource.url", url(config));
        p.put("spring.datasource.username", config.user());
        p.put("spring.datasource.password", config.password());
        // What the README asks of an application on a file or server database.
        p.put("dispatch.jdbc.initialize-schema", "always");
        p.put("management.endpoints.web.exposure.include", "health,dispatch,prometheus");
        // The application's own table, as a JPA application in development creates it.
        p.put("spring.jpa.hibernate.ddl-auto", "update");
        p.put("server.port", 0);
        if (has("nometrics")) {
            p.put("management.defaults.metrics.export.enabled", false);
        }
        if (has("noobs")) {
            p.put("management.observations.enable.dispatch", false);
        }
        if (has("pool18")) {
            p.put("dispatch.workers", DispatchBench.WORKERS);
            p.put("spring.datasource.hikari.maximum-pool-size", DispatchBench.WORKERS + 2);
        }
        p.put("logging.level.root", "WARN");
        return p;
    }

    /** On H2, the README's URL (or the part's) for the file that run.sh named. */
    String url(Config config) {
        String url = config.url();
        if (config.server()) {
            return url;
        }
        String path = url.replaceFirst("^jdbc:h2:(file:|async:)?", "");
        int options = path.indexOf(';');
        path = options < 0 ? path : path.substring(0, options);
        if (has("h2file")) {
            return "jdbc:h2:file:" + path + ";WRITE_DELAY=0";
        }
        if (has("h2default")) {
            return "jdbc:h2:async:" + path + ";DB_CLOSE_ON_EXIT=FALSE";
        }
        return "jdbc:h2:async:" + path + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }
}
