package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A library version outside the supported range: the instrumentation steps aside with one line. */
class LibraryVersionIT extends AgentIntegrationTest {

  @Test
  void unsupportedOpenAiVersionIsLeftAloneWithOneLogLine() throws IOException {
    Path older = Paths.get(System.getProperty("it.openai.unsupported.dir"));
    List<String> entries = new ArrayList<>();
    for (String entry : AgentHarness.applicationClasspath().split(File.pathSeparator)) {
      String name = Paths.get(entry).getFileName().toString();
      if (!name.startsWith("openai-java-core-") && !name.startsWith("openai-java-client-okhttp-")) {
        entries.add(entry);
      }
    }
    try (Stream<Path> jars = Files.list(older)) {
      jars.forEach(jar -> entries.add(0, jar.toString()));
    }
    assertThat(entries.stream().filter(e -> e.contains("openai-java-core-2.8.1"))).hasSize(1);

    AgentRun run =
        harness.run(
                String.join(File.pathSeparator, entries),
                "dev.aicost.it.app.MinimalOpenAiApp",
                Map.of(),
                harness.openai().baseUrl())
            .succeeded();

    assertThat(run.results()).containsKey("id").containsKey("content");
    List<String> disabled =
        Arrays.stream(run.stderr().split("\\R")).filter(l -> l.contains("instrumentation 'openai' disabled")).toList();
    assertThat(disabled).hasSize(1);
    assertThat(disabled.get(0))
        .startsWith("[aicost] WARN ")
        .contains("com.openai:openai-java 2.12 to 4.x")
        .contains("missing method com.openai.models.responses.ResponseCreateParams#model()Ljava/util/Optional;");
    assertThat(run.ledger()).isEmpty();
    assertThat(harness.otlp().spans()).isEmpty();
  }

  @Test
  void unsupportedAnthropicVersionIsLeftAloneWithOneLogLine() throws IOException {
    String classpath = replaceJars(
        Paths.get(System.getProperty("it.anthropic.unsupported.dir")),
        "anthropic-java-core-", "anthropic-java-client-okhttp-");
    assertThat(classpath).contains("anthropic-java-core-2.5.0");

    AgentRun run =
        harness.run(classpath, "dev.aicost.it.app.MinimalAnthropicApp", Map.of(), harness.anthropic().baseUrl())
            .succeeded();

    assertThat(run.results()).containsKey("id").containsEntry("model", "claude-sonnet-4-5-20250929");
    List<String> disabled =
        Arrays.stream(run.stderr().split("\\R")).filter(l -> l.contains("instrumentation 'anthropic' disabled")).toList();
    assertThat(disabled).hasSize(1);
    assertThat(disabled.get(0))
        .startsWith("[aicost] WARN ")
        .contains("com.anthropic:anthropic-java 2.15 to 3.x")
        .contains("the application runs unchanged")
        .contains("missing method com.anthropic.models.messages.Usage#cacheCreation()Ljava/util/Optional;");
    assertThat(run.stderr()).doesNotContain("instrumentation 'openai' disabled");
    assertThat(run.ledger()).isEmpty();
    assertThat(harness.otlp().spans()).isEmpty();
  }

  /** The application class path with the named library jars replaced by those in {@code dir}. */
  private static String replaceJars(Path dir, String... prefixes) throws IOException {
    List<String> entries = new ArrayList<>();
    for (String entry : AgentHarness.applicationClasspath().split(File.pathSeparator)) {
      String name = Paths.get(entry).getFileName().toString();
      if (Arrays.stream(prefixes).noneMatch(name::startsWith)) {
        entries.add(entry);
      }
    }
    try (Stream<Path> jars = Files.list(dir)) {
      jars.forEach(jar -> entries.add(0, jar.toString()));
    }
    return String.join(File.pathSeparator, entries);
  }
}
