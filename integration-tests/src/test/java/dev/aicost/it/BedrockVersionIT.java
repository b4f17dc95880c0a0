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

/** An AWS SDK older than the supported range: the Bedrock instrumentation steps aside with one line. */
class BedrockVersionIT extends BedrockIntegrationTest {

  @Test
  void anSdkWithoutConverseIsLeftAloneWithOneLogLine() throws IOException {
    Path older = Paths.get(System.getProperty("it.bedrock.unsupported.dir"));
    List<String> entries = new ArrayList<>();
    for (String entry : AgentHarness.applicationClasspath().split(File.pathSeparator)) {
      String path = entry.replace(File.separatorChar, '/');
      if (!path.contains("/software/amazon/awssdk/") && !path.contains("/software/amazon/eventstream/")) {
        entries.add(entry);
      }
    }
    try (Stream<Path> jars = Files.list(older)) {
      jars.forEach(jar -> entries.add(0, jar.toString()));
    }
    assertThat(entries.stream().filter(e -> e.endsWith("bedrockruntime-2.25.60.jar"))).hasSize(1);
    assertThat(entries.stream().filter(e -> e.contains("sdk-core-"))).singleElement()
        .satisfies(e -> assertThat(e).endsWith("sdk-core-2.25.60.jar"));

    AgentRun run =
        harness.run(
                String.join(File.pathSeparator, entries),
                "dev.aicost.it.app.MinimalBedrockApp",
                Map.of(),
                bedrock.endpoint().toString())
            .succeeded();

    assertThat(run.results()).containsKey("request_id").containsKey("body_length");
    assertThat(bedrock.requests("invoke")).hasSize(1);
    List<String> disabled =
        Arrays.stream(run.stderr().split("\\R")).filter(l -> l.contains("instrumentation 'bedrock' disabled")).toList();
    assertThat(disabled).hasSize(1);
    assertThat(disabled.get(0))
        .startsWith("[aicost] WARN ")
        .contains("software.amazon.awssdk:bedrockruntime 2.25.63+")
        .contains("missing class software.amazon.awssdk.services.bedrockruntime.model.Converse");
    assertThat(run.ledger()).isEmpty();
    assertThat(harness.otlp().spans()).isEmpty();
  }
}
