package dev.dispatch.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * docs/configuration.md lists every {@code dispatch.*} property the configuration metadata (generated from
 * {@link DispatchProperties} and its friends) declares, each in a table row of its own with its default.
 */
class ConfigurationDocsTests {

    @Test
    void everyPropertyIsDocumentedWithItsDefault() throws IOException {
        String docs = Files.readString(findDocs());
        JsonNode metadata;
        try (InputStream in = starterMetadata()) {
            metadata = new JsonMapper().readTree(in);
        }
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (JsonNode property : metadata.get("properties")) {
            String name = property.get("name").asString();
            if (!name.startsWith("dispatch.")) {
                continue;
            }
            checked++;
            String row = row(docs, name);
            if (row == null) {
                problems.add(name + ": no row `| `" + name + "` | ...` in docs/configuration.md");
                continue;
            }
            JsonNode defaultValue = property.get("defaultValue");
            if (defaultValue != null && !defaultValue.isNull() && !defaultValue.isArray()) {
                String expected = defaultValue.asString();
                String documented = row.split("\\|")[2].replace("`", "").trim();
                if (!sameDefault(expected, documented)) {
                    problems.add(name + ": default " + expected + " in the metadata, " + documented + " in the docs");
                }
            }
        }
        assertThat(checked).as("dispatch.* properties in the metadata").isGreaterThan(20);
        assertThat(problems).isEmpty();
    }

    /** The metadata of this starter's classes (its jar or classes directory), not another library's. */
    private static InputStream starterMetadata() throws IOException {
        URL root =
                DispatchProperties.class.getProtectionDomain().getCodeSource().getLocation();
        String file = "META-INF/spring-configuration-metadata.json";
        URL metadata = root.toString().endsWith(".jar") ? new URL("jar:" + root + "!/" + file) : new URL(root, file);
        return metadata.openStream();
    }

    private static String row(String docs, String name) {
        for (String line : docs.split("\n")) {
            if (line.startsWith("| `" + name + "` |")) {
                return line;
            }
        }
        return null;
    }

    private static boolean sameDefault(String expected, String documented) {
        if (documented.equalsIgnoreCase(expected)) {
            return true;
        }
        try {
            return Double.parseDouble(documented) == Double.parseDouble(expected);
        } catch (NumberFormatException ex) {
            return false;
        }
    }

    /** docs/configuration.md of this checkout, from the module's directory or one below it (compat/). */
    private static Path findDocs() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path docs = dir.resolve("docs/configuration.md");
            if (Files.isRegularFile(docs)) {
                return docs;
            }
        }
        throw new AssertionError(
                "docs/configuration.md not found above " + Path.of("").toAbsolutePath());
    }
}
