package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.it.app.IsolatedLoaderApp;
import dev.aicost.testing.MockReply;
import dev.aicost.testing.TokenUsage;
import java.io.File;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The agent works for libraries loaded by an isolated child class loader, not only the system one, and leaves alone
 * the loaders {@code aicost.exclude-class-loaders} names.
 */
class ClassLoaderIT extends AgentIntegrationTest {

  private static final String UNLISTED_LOADER = IsolatedLoaderApp.UnlistedLoader.class.getName();

  /** The system class loader only gets the launcher; everything else is visible to the child loader alone. */
  private static String launcherClasspath() {
    return Arrays.stream(AgentHarness.applicationClasspath().split(File.pathSeparator))
        .filter(e -> Paths.get(e).endsWith("test-classes"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  @Test
  void isolatedChildLoaderIsInstrumentedAndSharesTheAttributionContext() {
    String full = AgentHarness.applicationClasspath();
    String launcher = launcherClasspath();
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

  @Test
  void classesOfAnExcludedLoaderAreLeftAsTheyAre() {
    // The same scenario in two copies of openai-java: the second copy's loader is excluded.
    AgentRun run = twoCopiesMakeOneCallEach(Map.of("aicost.exclude-class-loaders", "com.example.Other, " + UNLISTED_LOADER));
    assertThat(run.calls()).as("only the copy outside the excluded loader is metered").hasSize(1);
    // The application has exited, and the agent flushes at exit: every span it made has arrived.
    assertThat(harness.otlp().awaitSpans(1, Duration.ofSeconds(10))).hasSize(1);
    assertThat(harness.otlp().spans()).hasSize(1);
    assertThat(run.stderr()).doesNotContain("could not instrument");
  }

  @Test
  void withoutTheExclusionBothCopiesAreMetered() {
    // The control for the test above: the same two copies, nothing excluded.
    AgentRun run = twoCopiesMakeOneCallEach(Map.of());
    assertThat(run.calls()).hasSize(2);
    assertThat(harness.otlp().awaitSpans(2, Duration.ofSeconds(10))).hasSize(2);
  }

  private AgentRun twoCopiesMakeOneCallEach(Map<String, String> settings) {
    harness.openai().enqueue(MockReply.usage(TokenUsage.of(1000, 100)));
    harness.openai().enqueue(MockReply.usage(TokenUsage.of(1000, 100)));
    Map<String, String> properties = new java.util.HashMap<>(settings);
    properties.put("isolated.classpath", AgentHarness.applicationClasspath());
    properties.put("isolated.also-in", "UnlistedLoader");
    AgentRun run =
        harness.run(launcherClasspath(), "dev.aicost.it.app.IsolatedLoaderApp", properties, "chat-sync",
                harness.openai().baseUrl())
            .succeeded();
    // Both copies made their call, and the application saw the same result from each.
    assertThat(run.resultLines())
        .containsSubsequence("RESULT loader=isolated-app", "RESULT done=chat-sync", "RESULT loader=unlisted-app", "RESULT done=chat-sync");
    assertThat(harness.openai().requests("/v1/chat/completions")).hasSize(2);
    return run;
  }
}
