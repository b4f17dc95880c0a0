package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aicost.testing.MetricPoint;
import dev.aicost.testing.ReceivedSpan;
import dev.aicost.testing.RecordedRequest;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Trace continuity and W3C Baggage with an application that manages its own OpenTelemetry SDK 1.50 (the agent
 * carries 1.68, relocated): aicost spans are children of the application's span, untrusted inbound
 * {@code aicost.team} is ignored and counted, trusted {@code aicost.customer} is used, and the application's outgoing
 * request carries the aicost attribution in its {@code baggage} header.
 */
class AppOpenTelemetryIT extends AgentIntegrationTest {

  static final Path APP_OTEL = Paths.get(System.getProperty("it.app-opentelemetry.dir", "target/app-opentelemetry"));

  /** The test class path with the application's OpenTelemetry replaced by the older copy. */
  static String classpathWithOlderOpenTelemetry() {
    String withoutOtel =
        Arrays.stream(AgentHarness.applicationClasspath().split(File.pathSeparator))
            .filter(e -> !e.replace('\\', '/').contains("/io/opentelemetry/opentelemetry-"))
            .collect(Collectors.joining(File.pathSeparator));
    try (Stream<Path> jars = Files.list(APP_OTEL)) {
      return withoutOtel
          + File.pathSeparator
          + jars.map(Path::toString).sorted().collect(Collectors.joining(File.pathSeparator));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aicostSpansJoinTheApplicationsTraceAndBaggageFlowsBothWays() {
    AgentRun run =
        harness
            .run(
                classpathWithOlderOpenTelemetry(),
                "dev.aicost.it.app.AppOpenTelemetryScenario",
                Map.of("aicost.attribution.trusted-inbound-keys", "customer"),
                harness.openai().baseUrl())
            .succeeded();
    Map<String, String> r = run.results();
    assertThat(r.get("otel_api")).contains("opentelemetry-api-1.50.0.jar");
    String appTrace = r.get("app_trace_id");
    String appSpan = r.get("app_span_id");
    assertThat(appTrace).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");

    // Parent: the application's span (whose own parent came from the inbound traceparent).
    List<ReceivedSpan> spans = harness.otlp().awaitSpans(2, WAIT);
    assertThat(spans).hasSize(2).allSatisfy(s -> {
      assertThat(s.traceId()).isEqualTo(appTrace);
      assertThat(s.parentSpanId()).isEqualTo(appSpan);
    });

    // Inbound: the untrusted team is ignored (and counted), the trusted customer is used.
    List<JsonNode> lines = run.ledger();
    assertThat(lines).hasSize(2);
    JsonNode inboundOnly = lines.get(0).get("attribution");
    assertThat(inboundOnly.get("team").asText()).isEqualTo("unattributed");
    assertThat(inboundOnly.get("owner").asText()).isEqualTo("aicost-it");
    assertThat(inboundOnly.get("customer").asText()).isEqualTo("acme");
    assertThat(inboundOnly.get("feature").isNull()).isTrue();
    assertThat(lines.get(0).get("trace_id").asText()).isEqualTo(appTrace);
    JsonNode scoped = lines.get(1).get("attribution");
    assertThat(scoped.get("team").asText()).isEqualTo("search");
    assertThat(scoped.get("feature").asText()).isEqualTo("answer");
    assertThat(scoped.get("customer").asText()).isEqualTo("acme");
    MetricPoint untrustedTeam =
        harness.otlp().awaitMetric(
            "aicost.attribution.untrusted_inbound", p -> "aicost.team".equals(p.attribute("aicost.baggage.key")), WAIT);
    assertThat(untrustedTeam.longValue()).isEqualTo(2);

    // Outbound: a real HTTP request propagated by the application's own W3CBaggagePropagator.
    RecordedRequest models =
        harness.openai().awaitRequest(q -> q.path().endsWith("/models"), WAIT);
    String baggage = models.header("baggage").orElseThrow();
    assertThat(baggage).isEqualTo(r.get("outbound_baggage"));
    assertThat(Arrays.asList(baggage.split(",")))
        .contains("aicost.team=search", "aicost.feature=answer", "aicost.customer=acme", "tenant=t-1", "aicost.source=aicost-it")
        .noneMatch(e -> e.contains("evil-team") || e.contains("spoofed"));
    assertThat(models.header("traceparent").orElseThrow()).contains(appTrace);
    assertThat(r).containsEntry("models_status", "200").containsEntry("app_baggage_team", "evil-team");
  }
}
