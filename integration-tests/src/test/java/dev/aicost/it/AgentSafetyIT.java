package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
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
