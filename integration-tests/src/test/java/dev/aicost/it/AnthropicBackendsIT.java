package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aicost.testing.AnthropicReply;
import dev.aicost.testing.RecordedRequest;
import dev.aicost.testing.ReceivedSpan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * anthropic-java's Bedrock and Vertex backends: the provider is the cloud that bills the call, read from the
 * client's backend (the mock listens on 127.0.0.1, so no host name could tell), and the call is priced with that
 * cloud's catalog entries and region.
 *
 * <p>Prices used (USD per 1M tokens): on Amazon Bedrock in a regional endpoint (us-west-2), Claude Sonnet 4.5
 * input 3.30, output 16.50 (10% above the global endpoint from the 4.5 generation on); Claude 3.5 Haiku input 0.80,
 * output 4.00. On Vertex AI in us-east5, Claude Sonnet 4.5 input 3.30, output 16.50 (regional, likewise).
 * Default mock usage: 17 input and 64 output tokens.
 */
class AnthropicBackendsIT extends AgentIntegrationTest {

  private AgentRun run(String scenario) {
    return harness.run(
        "dev.aicost.it.app.AnthropicScenarios", Map.of(), scenario, harness.anthropic().bedrockBaseUrl());
  }

  @Test
  void bedrockInvokeIsReportedAsAwsBedrockAndPricedWithBedrocksRegionalRates() {
    AgentRun run = run("bedrock-sync").succeeded();
    assertThat(run.results()).containsEntry("model", "claude-sonnet-4-5-20250929");
    RecordedRequest request = harness.anthropic().lastRequest();
    assertThat(request.path()).isEqualTo("/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke");
    assertThat(request.header("Authorization").orElse("")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDAICOSTTEST/");

    ReceivedSpan span = harness.otlp().awaitSpan("chat us.anthropic.claude-sonnet-4-5-20250929-v1:0", WAIT);
    assertThat(span.attributes())
        .containsEntry("gen_ai.provider.name", "aws.bedrock")
        .containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.request.model", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")
        .containsEntry("gen_ai.response.model", "claude-sonnet-4-5-20250929")
        .containsEntry("gen_ai.response.id", run.results().get("id"))
        .containsEntry("gen_ai.request.stream", false)
        .containsEntry("server.address", "127.0.0.1")
        .containsEntry("server.port", (long) harness.anthropic().port())
        .containsEntry("gen_ai.usage.input_tokens", 17L)
        .containsEntry("gen_ai.usage.output_tokens", 64L)
        // 17 x 3.30 + 64 x 16.50 = 56.1 + 1056 micro-USD
        .containsEntry("gen_ai.usage.cost.amount", 0.0011121)
        .containsEntry("aicost.cost.input", 0.0000561)
        .containsEntry("aicost.cost.output", 0.001056)
        .containsEntry("aicost.priced", true)
        .containsEntry("aicost.pricing.entry", "aws.bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0");
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("provider").asText()).isEqualTo("aws.bedrock");
    assertThat(line.get("request_model").asText()).isEqualTo("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    assertThat(line.get("cost").get("amount").asText()).isEqualTo("0.0011121");
    assertThat(line.get("pricing_entry").asText()).isEqualTo("aws.bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0");
    assertThat(run.stderr()).doesNotContain("aicost-test-aws-secret");
    assertThat(line.toString()).doesNotContain("AKIDAICOSTTEST");
  }

  @Test
  void bedrockEventStreamIsMeteredWhenItEnds() {
    AgentRun run = run("bedrock-stream").succeeded();
    assertThat(run.results().get("text")).isNotEmpty();
    assertThat(harness.anthropic().lastRequest().path()).endsWith("/invoke-with-response-stream");
    ReceivedSpan span = harness.otlp().awaitSpan("chat anthropic.claude-3-5-haiku-20241022-v1:0", WAIT);
    assertThat(span.attributes())
        .containsEntry("gen_ai.provider.name", "aws.bedrock")
        .containsEntry("gen_ai.request.stream", true)
        .containsEntry("gen_ai.response.model", "claude-3-5-haiku-20241022")
        .containsEntry("gen_ai.usage.input_tokens", 17L)
        .containsEntry("gen_ai.usage.output_tokens", 64L)
        // 17 x 0.80 + 64 x 4.00 = 13.6 + 256 micro-USD
        .containsEntry("gen_ai.usage.cost.amount", 0.0002696)
        .containsEntry("aicost.pricing.entry", "aws.bedrock/anthropic.claude-3-5-haiku-20241022-v1:0");
    assertThat(run.singleLedgerLine().get("cost").get("amount").asText()).isEqualTo("0.0002696");
  }

  @Test
  void bedrockStreamExceptionFailsTheSpan() {
    harness.anthropic().enqueue(AnthropicReply.streamError(3, "rate_limit_error", "Too many tokens, please wait."));
    AgentRun run = run("bedrock-stream-error").succeeded();
    ReceivedSpan span = harness.otlp().awaitSpan("chat anthropic.claude-3-5-haiku-20241022-v1:0", WAIT);
    assertThat(span.attributes()).containsEntry("aicost.priced", false);
    assertThat(run.ledger()).hasSize(1);
    if ("none".equals(run.results().get("error"))) {
      // older anthropic-java (2.15 is tested) decodes an exception frame as if it were an event and ends quietly:
      // the application sees no error, and aicost says that the stream ended without its usage
      assertThat(span.statusCode()).isEqualTo(ReceivedSpan.StatusCode.UNSET);
      assertThat(span.attributes()).containsEntry("aicost.usage.unavailable_reason", "no_message_delta_in_stream");
      return;
    }
    assertThat(span.statusCode()).isEqualTo(ReceivedSpan.StatusCode.ERROR);
    assertThat(span.attributes())
        .containsEntry("aicost.usage.unavailable_reason", "stream_failed")
        .containsEntry("error.type", "throttlingException");
  }

  @Test
  void vertexRawPredictIsReportedAsGcpVertexAi() {
    AgentRun run = run("vertex-sync").succeeded();
    RecordedRequest request = harness.anthropic().lastRequest();
    assertThat(request.path()).isEqualTo(
        "/v1/projects/aicost-it/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict");
    ReceivedSpan span = harness.otlp().awaitSpan("chat claude-sonnet-4-5@20250929", WAIT);
    assertThat(span.attributes())
        .containsEntry("gen_ai.provider.name", "gcp.vertex_ai")
        .containsEntry("gen_ai.request.model", "claude-sonnet-4-5@20250929")
        .containsEntry("gen_ai.response.model", "claude-sonnet-4-5-20250929")
        .containsEntry("gen_ai.response.finish_reasons", List.of("end_turn"))
        .containsEntry("server.address", "127.0.0.1")
        .containsEntry("gen_ai.usage.input_tokens", 17L)
        .containsEntry("gen_ai.usage.output_tokens", 64L)
        // 17 x 3.30 + 64 x 16.50 = 56.1 + 1056 micro-USD
        .containsEntry("gen_ai.usage.cost.amount", 0.0011121)
        .containsEntry("aicost.pricing.entry", "gcp.vertex_ai/claude-sonnet-4-5");
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("provider").asText()).isEqualTo("gcp.vertex_ai");
    assertThat(line.get("cost").get("amount").asText()).isEqualTo("0.0011121");
    assertThat(run.stderr() + line).doesNotContain("ya29.aicost-test-token");
  }

  @Test
  void vertexStreamRawPredictIsMetered() {
    AgentRun run = run("vertex-stream").succeeded();
    assertThat(harness.anthropic().lastRequest().path()).endsWith(":streamRawPredict");
    assertThat(harness.otlp().awaitSpan("chat claude-sonnet-4-5@20250929", WAIT).attributes())
        .containsEntry("gen_ai.provider.name", "gcp.vertex_ai")
        .containsEntry("gen_ai.request.stream", true)
        .containsEntry("gen_ai.usage.cost.amount", 0.0011121);
    assertThat(run.singleLedgerLine().get("stream").asBoolean()).isTrue();
  }
}
