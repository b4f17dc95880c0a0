package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.testing.MockReply;
import dev.aicost.testing.TokenUsage;
import java.io.File;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The agent works for libraries loaded by an isolated child class loader, not only the system one. */
class ClassLoaderIT extends AgentIntegrationTest {

  @Test
  void isolatedChildLoaderIsInstrumentedAndSharesTheAttributionContext() {
    String full = AgentHarness.applicationClasspath();
    // The system class loader only gets the launcher; everything else is visible to the child loader alone.
    String launcher = Arrays.stream(full.split(File.pathSeparator))
        .filter(e -> Paths.get(e).endsWith("test-classes"))
        .collect(Collectors.joining(File.pathSeparator));
    harness.openai().enqueue(MockReply.usage(TokenUsage.of(1000, 100)));
    harness.openai().enqueue(MockReply.usage(TokenUsage.of(10, 10)));
    harness.openai().enqueue(MockReply.usage(TokenUsage.of(10, 10)));
    harness.openai().enqueue(MockReply.usage(TokenUsage.of(10, 10)));
    harness.openai().enqueue(MockReply.usage(TokenUsage.of(10, 10)));

    AgentRun run =
        harness.run(launcher, "dev.aicost.it.app.IsolatedLoaderApp", Map.of("isolated.classpath", full),
                "cost-center", harness.openai().baseUrl())
            .succeeded();

    assertThat(run.results()).containsEntry("loader", "isolated-app").containsEntry("done", "cost-center");
    assertThat(run.calls()).hasSize(4);
    assertThat(run.calls().get(0).get("attribution").get("team").asText()).isEqualTo("support");
    assertThat(run.calls().get(0).get("cost").get("amount").asText()).isEqualTo("0.0035");
    assertThat(run.calls().get(3).get("attribution").get("team").asText()).isEqualTo("platform");
    // The task the isolated loader's @CostCenter started, with its exact roll-up.
    assertThat(run.tasks()).singleElement().satisfies(t -> {
      assertThat(t.get("task").asText()).isEqualTo("answer-ticket");
      assertThat(t.get("calls").asLong()).isEqualTo(2);
    });
    // four call spans and the task span
    assertThat(harness.otlp().awaitSpans(5, Duration.ofSeconds(10)))
        .hasSize(5)
        .filteredOn(s -> s.name().equals("task answer-ticket"))
        .hasSize(1);
  }
}
