package com.example.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's quick start shows this module's files: each code block under a {@code <!-- quickstart/... -->} marker
 * must appear, line for line, in the file it names, so a snippet a reader copies is code the build compiled and ran.
 */
class ReadmeSnippetsTests {

    private static final Pattern SNIPPET =
            Pattern.compile("<!-- (quickstart/[^ ]+) -->\\s*```[a-z]*\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyQuickStartSnippetInTheReadmeIsInTheFileItNames() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String readme = Files.readString(root.resolve("README.md"));
        Map<String, String> snippets = new LinkedHashMap<>();
        Matcher matcher = SNIPPET.matcher(readme);
        while (matcher.find()) {
            snippets.put(matcher.group(1), matcher.group(2));
        }
        assertThat(snippets.keySet())
                .as("the quick start's snippets")
                .contains(
                        "quickstart/src/main/resources/application.properties",
                        "quickstart/src/main/java/com/example/quickstart/Mailer.java",
                        "quickstart/src/main/java/com/example/quickstart/Onboarding.java",
                        "quickstart/src/main/java/com/example/quickstart/OnboardingController.java");
        snippets.forEach((file, snippet) -> {
            String source;
            try {
                source = Files.readString(root.resolve(file));
            } catch (IOException ex) {
                throw new AssertionError("The README shows " + file + ", which does not exist", ex);
            }
            assertThat(normalise(source)).as("%s as the README shows it", file).contains(normalise(snippet));
        });
    }

    private static String normalise(String text) {
        return text.replace("\r\n", "\n").strip();
    }
}
