package dev.aicost.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The agent never changes what the application sees, whatever goes wrong inside it. */
class AgentSafetyIT extends AgentIntegrationTest {

  @Test
  void exceptionsInsideTheInstrumentationNeverReachTheApplication() {
    AgentRun run = harness.runOpenAi("throwing-sink").succeeded();
    List<String> lines = run.resultLines();
    // two rounds of: sync chat, stream, async chat, responses; each returns its normal result
    assertThat(lines.stream().filter(l -> l.startsWith("RESULT content="))).hasSize(4);
    assertThat(lines.stream().filter(l -> l.startsWith("RESULT text=") && l.length() > "RESULT text=".length())).hasSize(2);
    assertThat(lines.stream().filter(l -> l.startsWith("RESULT input_tokens="))).hasSize(2);
    assertThat(run.results()).containsEntry("injected_failures", "8").containsEntry("done", "throwing-sink");
    assertThat(run.stderr()).doesNotContain("Exception in thread");
  }

  @Test
  void theAgentDefinesNoClassInTheApplicationsClassLoader() {
    AgentRun run =
        harness.run("dev.aicost.it.app.MinimalOpenAiApp", Map.of(), harness.openai().baseUrl()).succeeded();
    assertThat(run.ledger()).hasSize(1);
    // Byte Buddy's default AgentBuilder injects its Nexus class into the system class loader; aicost turns it off.
    assertThat(run.results()).containsEntry("nexus_in_application", "false");
  }

  @Test
  void theApplicationsOutputIsItsOwn() {
    AgentRun run =
        harness.run("dev.aicost.it.app.MinimalOpenAiApp", Map.of(), harness.openai().baseUrl()).succeeded();
    // Appending the agent jar to the bootstrap class path made HotSpot print "OpenJDK 64-Bit Server VM warning:
    // Sharing is only supported for boot loader classes because bootstrap classpath has been appended" on the
    // application's standard error at every start; the bridge is now defined in the bootstrap loader instead.
    assertThat(run.stdout().lines()).allSatisfy(line -> assertThat(line).startsWith("RESULT "));
    assertThat(run.stderr()).doesNotContain("warning").doesNotContain("WARN");
    assertThat(run.results()).containsEntry("bridge_loader", "bootstrap");
    assertThat(run.ledger()).hasSize(1);
  }

  @Test
  void theAgentJarListsExactlyItsBridgeClasses() throws IOException {
    // BridgeDefiner defines what this list names: a class missing from it would be missing in the bootstrap loader.
    try (JarFile jar = new JarFile(AgentHarness.AGENT_JAR.toFile())) {
      List<String> atRoot =
          jar.stream()
              .map(JarEntry::getName)
              .filter(n -> n.startsWith("dev/aicost/bootstrap/") && n.endsWith(".class"))
              .collect(Collectors.toList());
      String index =
          new String(jar.getInputStream(jar.getEntry("inst/META-INF/aicost/bridge-classes")).readAllBytes(), UTF_8);
      assertThat(atRoot).hasSizeGreaterThan(10);
      assertThat(index.lines().filter(l -> !l.isBlank())).containsExactlyInAnyOrderElementsOf(atRoot);
    }
  }

  @Test
  void disabledAgentLeavesTheApplicationAlone() {
    AgentRun run =
        harness.run("dev.aicost.it.app.OpenAiScenarios", Map.of("aicost.enabled", "false"), "chat-sync", harness.openai().baseUrl())
            .succeeded();
    assertThat(run.results()).containsKey("content");
    assertThat(run.ledger()).isEmpty();
    assertThat(run.stderr()).contains("[aicost] disabled by aicost.enabled=false");
    assertThat(harness.otlp().spans()).isEmpty();
  }

  @Test
  void badSettingIsNamedAndTheApplicationRuns() {
    AgentRun run =
        harness.run("dev.aicost.it.app.OpenAiScenarios", Map.of("aicost.console.enabled", "yes"), "chat-sync", harness.openai().baseUrl())
            .succeeded();
    assertThat(run.results()).containsKey("content");
    assertThat(run.stderr())
        .contains("invalid setting aicost.console.enabled (env AICOST_CONSOLE_ENABLED) = 'yes': expected true or false");
  }

  @Test
  void anIdleApplicationsAicostThreadsSleepUntilTheNextCall() {
    AgentRun run = harness.runOpenAi("idle-between-calls").succeeded();
    // Sampled 20 times over a second without calls: parked without a timeout every time, never waking each linger
    // (TIMED_WAITING) or running.
    assertThat(run.results())
        .containsEntry("idle_states.aicost-recorder", "[WAITING]")
        .containsEntry("idle_states.aicost-ledger-writer", "[WAITING]");
    // The call after the quiet spell woke them: both calls are in the ledger.
    assertThat(run.calls()).hasSize(2);
  }

  @Test
  void exporterDownNeverBlocksOrBreaksTheApplication() {
    AgentRun run =
        harness.run(
                "dev.aicost.it.app.OpenAiScenarios",
                Map.of("otel.exporter.otlp.endpoint", "http://127.0.0.1:9", "otel.exporter.otlp.timeout", "500"),
                "chat-sync",
                harness.openai().baseUrl())
            .succeeded();
    assertThat(run.results()).containsKey("content");
    assertThat(run.ledger()).hasSize(1); // the ledger does not depend on the exporter
  }
}
