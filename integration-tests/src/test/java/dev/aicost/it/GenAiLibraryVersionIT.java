package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.testing.MockGeminiServer;
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

/**
 * google-genai 1.17.0 (the version Spring AI 1.1.0 ships), older than the supported range: its {@code AsyncModels}
 * runs the blocking methods on the common pool, so the instrumentation steps aside with one line and the
 * application runs unchanged.
 */
class GenAiLibraryVersionIT extends AgentIntegrationTest {

  @Test
  void unsupportedGoogleGenAiVersionIsLeftAloneWithOneLogLine() throws IOException {
    Path older = Paths.get(System.getProperty("it.genai.unsupported.dir"));
    List<String> entries = new ArrayList<>();
    for (String entry : AgentHarness.applicationClasspath().split(File.pathSeparator)) {
      if (!Paths.get(entry).getFileName().toString().startsWith("google-genai-")) {
        entries.add(entry);
      }
    }
    try (Stream<Path> jars = Files.list(older)) {
      jars.forEach(jar -> entries.add(0, jar.toString()));
    }
    assertThat(entries.stream().filter(e -> e.contains("google-genai-"))).singleElement().asString()
        .endsWith("google-genai-1.17.0.jar");

    try (MockGeminiServer gemini = MockGeminiServer.start()) {
      AgentRun run =
          harness.run(
                  String.join(File.pathSeparator, entries),
                  "dev.aicost.it.app.GenAiScenarios",
                  Map.of(),
                  "generate-sync",
                  gemini.baseUrl())
              .succeeded();

      assertThat(run.results()).containsEntry("prompt_tokens", "8").containsEntry("done", "generate-sync");
      assertThat(gemini.requests()).hasSize(1);
      List<String> disabled =
          Arrays.stream(run.stderr().split("\\R")).filter(l -> l.contains("instrumentation 'genai' disabled")).toList();
      assertThat(disabled).hasSize(1);
      assertThat(disabled.get(0))
          .startsWith("[aicost] WARN ")
          .contains("com.google.genai:google-genai 1.18 to 2.x")
          .contains("missing method com.google.genai.AsyncModels#privateGenerateContent (where calls are intercepted)");
      assertThat(run.ledger()).isEmpty();
      assertThat(harness.otlp().spans()).isEmpty();
    }
  }
}
