package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.testing.ForkedJvm;
import dev.aicost.testing.ReceivedSpan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The OpenTelemetry Java agent and the aicost agent in one JVM: both start, the application runs unchanged, and the
 * aicost span is a child of the application's span that the OpenTelemetry agent made current.
 */
class OtelAgentCoexistenceIT extends AgentIntegrationTest {

  static final Path OTEL_AGENT =
      Paths.get(System.getProperty("it.otel-javaagent.dir", "target/otel-javaagent"), "opentelemetry-javaagent.jar");

  @Test
  void aicostSpansJoinTheOpenTelemetryAgentsTrace() {
    Assumptions.assumeTrue(Files.isRegularFile(OTEL_AGENT), "OpenTelemetry Java agent not copied to " + OTEL_AGENT);
    AgentRun run =
        harness
            .run(
                ForkedJvm.defaultJava(),
                List.of("-javaagent:" + OTEL_AGENT),
                AgentHarness.applicationClasspath(),
                "dev.aicost.it.app.OtelAgentScenario",
                Map.of("otel.metrics.exporter", "none", "otel.javaagent.logging", "none"),
                harness.openai().baseUrl())
            .succeeded();
    String trace = run.results().get("app_trace_id");
    String parent = run.results().get("app_span_id");
    assertThat(trace).as("stderr:%n%s", run.stderr()).isNotNull().isNotEqualTo("00000000000000000000000000000000");
    ReceivedSpan chat = harness.otlp().awaitSpan(s -> "dev.aicost".equals(s.scopeName()), WAIT);
    assertThat(chat.traceId()).isEqualTo(trace);
    assertThat(chat.parentSpanId()).isEqualTo(parent);
    assertThat(chat.attributes()).containsEntry("aicost.team", "search");
    harness.otlp().awaitSpan(s -> s.name().equals("handle request") && s.spanId().equals(parent), WAIT);
    assertThat(run.calls()).singleElement().satisfies(c -> assertThat(c.get("trace_id").asText()).isEqualTo(trace));
  }
}
