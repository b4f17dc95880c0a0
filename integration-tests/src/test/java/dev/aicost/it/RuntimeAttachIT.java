package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.tools.attach.VirtualMachine;
import dev.aicost.testing.ForkedJvm;
import dev.aicost.testing.MockReply;
import dev.aicost.testing.TokenUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent attached to a running JVM ({@code Agent-Class}) meters calls through already-loaded classes. */
class RuntimeAttachIT extends AgentIntegrationTest {

  @Test
  void attachedAtRunTimeMetersLaterCalls() throws Exception {
    Path dir = Files.createTempDirectory("aicost-attach");
    Path ledger = dir.resolve("ledger.jsonl");
    Path signal = dir.resolve("go");
    harness.openai().enqueue(MockReply.usage(TokenUsage.of(500, 50)), MockReply.usage(TokenUsage.of(1000, 100)));

    ForkedJvm app =
        ForkedJvm.builder("dev.aicost.it.app.AttachScenario")
            .classpath(AgentHarness.applicationClasspath())
            .systemProperty("otel.exporter.otlp.endpoint", harness.otlp().httpEndpoint())
            .systemProperty("otel.logs.exporter", "none")
            .systemProperty("otel.service.name", "aicost-attach")
            .args(harness.openai().baseUrl(), signal.toString())
            .timeout(Duration.ofSeconds(90))
            .build();
    ForkedJvm.Result result;
    try (ForkedJvm.Running running = app.start()) {
      String ready = running.awaitStdoutLine(l -> l.startsWith("READY "), Duration.ofSeconds(60));
      VirtualMachine vm = VirtualMachine.attach(ready.substring("READY ".length()).trim());
      try {
        vm.loadAgent(AgentHarness.AGENT_JAR.toString(), "ledger.path=" + ledger + ",console.enabled=true");
      } finally {
        vm.detach();
      }
      Files.createFile(signal);
      result = running.await();
    }
    AgentRun run = new AgentRun(result.exitCode(), result.stdout(), result.stderr(), ledger).succeeded();
    assertThat(run.results()).containsEntry("before", "done").containsKey("after_id");
    List<JsonNode> lines = run.ledger();
    assertThat(lines).hasSize(1);
    // 1000 x 2.50 + 100 x 10.00 micro-USD: only the call made after the attach
    assertThat(lines.get(0).get("cost").get("amount").asText()).isEqualTo("0.0035");
    assertThat(lines.get(0).get("response_id").asText()).isEqualTo(run.results().get("after_id"));
    assertThat(harness.otlp().awaitSpan("chat gpt-4o", WAIT).resourceAttributes())
        .containsEntry("service.name", "aicost-attach");
  }
}
