package io.github.gptfromscratch.examples;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README shows exactly the example project that CI compiles and runs. */
class ReadmeExampleTest {

    @Test
    void readmeEmbedsTheExampleProjectVerbatim() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String readme = Files.readString(root.resolve("README.md"));
        String example = Files.readString(root.resolve("docs/example-project/src/main/java/Example.java"));
        assertTrue(readme.contains("```java\n" + example + "```"),
                "README.md must contain docs/example-project/src/main/java/Example.java verbatim in a java block");
    }
}
