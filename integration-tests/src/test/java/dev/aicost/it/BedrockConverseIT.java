package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aicost.testing.BedrockReply;
import dev.aicost.testing.BedrockUsage;
import dev.aicost.testing.MetricPoint;
import dev.aicost.testing.MockBedrockServer;
import dev.aicost.testing.ReceivedSpan;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Converse and ConverseStream through the real AWS SDK Bedrock Runtime clients, metered by the agent in a forked JVM
 * against the mock Bedrock server: spans and metrics as received over OTLP, and the cost ledger, checked against
 * hand-computed prices.
 *
 * <p>Bedrock on-demand prices used (USD per 1M tokens, aws.amazon.com/bedrock/pricing, us-east-1): Claude 3 Haiku
 * input 0.25, output 1.25; Claude Sonnet 4.5 through an in-region or geographic profile ({@code us.}): input 3.30,
 * cache read 0.33, 5-minute cache write 4.125, 1-hour cache write 6.60, output 16.50 (10% over the global endpoint);
 * through a {@code global.} profile: input 3.00, output 15.00; Nova Lite input 0.06, output 0.24.
 */
class BedrockConverseIT extends BedrockIntegrationTest {

  static final String HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
  static final String SONNET_US = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
  static final String NOVA_LITE = "amazon.nova-lite-v1:0";

  @Test
  void syncConverseIsOneClientSpanWithUsageCostAndMetrics() {
    bedrock.enqueue(BedrockReply.usage(BedrockUsage.of(1200, 80)));

    AgentRun run = runBedrock("converse", HAIKU).succeeded();

    assertThat(run.results()).containsEntry("input_tokens", "1200").containsEntry("output_tokens", "80");
    ReceivedSpan span = harness.otlp().awaitSpan("chat " + HAIKU, WAIT);
    assertThat(span.kind()).isEqualTo(ReceivedSpan.Kind.CLIENT);
    assertThat(span.statusCode()).isEqualTo(ReceivedSpan.StatusCode.UNSET);
    assertThat(span.scopeName()).isEqualTo("dev.aicost");
    assertThat(span.attributes())
        .containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.provider.name", "aws.bedrock")
        .containsEntry("gen_ai.request.model", HAIKU)
        .containsEntry("gen_ai.request.stream", false)
        .containsEntry("gen_ai.response.id", run.results().get("request_id"))
        .containsEntry("gen_ai.response.finish_reasons", List.of("end_turn"))
        .containsEntry("server.address", "127.0.0.1")
        .containsEntry("server.port", (long) bedrock.port())
        .containsEntry("gen_ai.usage.input_tokens", 1200L)
        .containsEntry("gen_ai.usage.output_tokens", 80L)
        .containsEntry("gen_ai.usage.cache_read.input_tokens", 0L)
        .containsEntry("gen_ai.usage.cache_creation.input_tokens", 0L)
        .containsEntry("gen_ai.usage.reasoning.output_tokens", 0L)
        .containsEntry("aicost.usage.available", true)
        // 1200 x 0.25 + 80 x 1.25 = 300 + 100 = 400 micro-USD
        .containsEntry("gen_ai.usage.cost.amount", 0.0004)
        .containsEntry("gen_ai.usage.cost.currency", "USD")
        .containsEntry("gen_ai.usage.cost.source", "local")
        .containsEntry("aicost.cost.input", 0.0003)
        .containsEntry("aicost.cost.output", 0.0001)
        .containsEntry("aicost.priced", true)
        .containsEntry("aicost.pricing.entry", "aws.bedrock/" + HAIKU)
        .containsEntry("aicost.pricing.tier", "standard")
        .containsKey("aicost.pricing.catalog_version")
        .doesNotContainKey("gen_ai.response.model")
        .doesNotContainKey("aicost.service_tier")
        .doesNotContainKey("error.type")
        .doesNotContainKey("aicost.end_reason")
        .containsEntry("aicost.team", "unattributed")
        .containsEntry("aicost.owner", "aicost-it");

    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("trace_id").asText()).isEqualTo(span.traceId());
    assertThat(line.get("span_id").asText()).isEqualTo(span.spanId());
    assertThat(line.get("kind").asText()).isEqualTo("llm");
    assertThat(line.get("provider").asText()).isEqualTo("aws.bedrock");
    assertThat(line.get("operation").asText()).isEqualTo("chat");
    assertThat(line.get("request_model").asText()).isEqualTo(HAIKU);
    assertThat(line.get("response_model").isNull()).isTrue();
    assertThat(line.get("response_id").asText()).isEqualTo(run.results().get("request_id"));
    assertThat(line.get("stream").asBoolean()).isFalse();
    assertThat(line.get("service_tier").asText()).isEqualTo("standard");
    assertThat(line.get("server_address").asText()).isEqualTo("127.0.0.1");
    assertThat(line.get("duration_ms").asDouble()).isPositive();
    assertThat(line.get("error_type").isNull()).isTrue();
    assertThat(line.has("end_reason")).isFalse();
    assertUsage(line, 1200, 80, 0, 0, 0);
    assertThat(line.get("cost").get("amount").asText()).isEqualTo("0.0004");
    assertThat(line.get("cost").get("currency").asText()).isEqualTo("USD");
    assertThat(line.get("cost").get("breakdown").get("input").asText()).isEqualTo("0.0003");
    assertThat(line.get("cost").get("breakdown").get("output").asText()).isEqualTo("0.0001");
    assertThat(line.get("priced").asBoolean()).isTrue();
    assertThat(line.get("unpriced_reason").isNull()).isTrue();
    assertThat(line.get("pricing_entry").asText()).isEqualTo("aws.bedrock/" + HAIKU);
    assertThat(line.get("pricing_tier").asText()).isEqualTo("standard");
    assertThat(line.get("attribution").get("team").asText()).isEqualTo("unattributed");

    MetricPoint input = harness.otlp().awaitMetric(
        "gen_ai.client.token.usage", p -> "input".equals(p.attribute("gen_ai.token.type")), WAIT);
    assertThat(input.count()).isEqualTo(1);
    assertThat(input.sum()).isEqualTo(1200.0);
    assertThat(input.attributes())
        .containsEntry("gen_ai.provider.name", "aws.bedrock")
        .containsEntry("gen_ai.request.model", HAIKU);
    MetricPoint cost = harness.otlp().awaitMetric("gen_ai.client.operation.cost", WAIT);
    assertThat(cost.sum()).isEqualTo(0.0004);
    MetricPoint spend = harness.otlp().awaitMetric("aicost.spend", WAIT);
    assertThat(spend.doubleValue()).isEqualTo(0.0004);
    assertThat(spend.attributes()).containsEntry("gen_ai.provider.name", "aws.bedrock");
    assertThat(harness.otlp().awaitMetric("gen_ai.client.operation.duration", WAIT).count()).isEqualTo(1);
  }

  @Test
  void cacheTokensAreAddedToInputAndPricedPerTtlThroughACrossRegionProfile() {
    // Bedrock's inputTokens exclude the cache: 200 uncached + 10000 read + 3000 written (1000 with the 1-hour TTL).
    bedrock.enqueue(BedrockReply.usage(BedrockUsage.cached(200, 500, 10_000, 3000).withCacheWrite1h(1000)));

    AgentRun run = runBedrock("converse", SONNET_US).succeeded();

    ReceivedSpan span = harness.otlp().awaitSpan("chat " + SONNET_US, WAIT);
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("pricing_entry").asText()).isEqualTo("aws.bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0");
    assertThat(line.get("pricing_tier").asText()).isEqualTo("standard");
    if (sdkHasCacheFields()) {
      assertThat(span.attributes())
          .containsEntry("gen_ai.usage.input_tokens", 13_200L)
          .containsEntry("gen_ai.usage.cache_read.input_tokens", 10_000L)
          .containsEntry("gen_ai.usage.cache_creation.input_tokens", 3000L)
          .containsEntry("aicost.usage.cache_write_5m.input_tokens", 2000L)
          .containsEntry("aicost.usage.cache_write_1h.input_tokens", 1000L)
          // 200 x 3.30 + 10000 x 0.33 + 2000 x 4.125 + 1000 x 6.60 + 500 x 16.50
          // = 660 + 3300 + 8250 + 6600 + 8250 = 27060 micro-USD
          .containsEntry("gen_ai.usage.cost.amount", 0.02706)
          .containsEntry("aicost.cost.input", 0.00066)
          .containsEntry("aicost.cost.cache_read", 0.0033)
          .containsEntry("aicost.cost.cache_write_5m", 0.00825)
          .containsEntry("aicost.cost.cache_write_1h", 0.0066)
          .containsEntry("aicost.cost.output", 0.00825);
      assertUsage(line, 13_200, 500, 10_000, 2000, 1000);
      assertThat(line.get("cost").get("amount").asText()).isEqualTo("0.02706");
    } else {
      // SDKs before 2.31.15 do not model the cache fields and drop them: such a client cannot send a cache point
      // either, so it never gets cache counts from the real service. Only the uncached input is seen.
      assertThat(span.attributes()).containsEntry("gen_ai.usage.input_tokens", 200L)
          // 200 x 3.30 + 500 x 16.50 = 660 + 8250 = 8910 micro-USD
          .containsEntry("gen_ai.usage.cost.amount", 0.00891);
      assertUsage(line, 200, 500, 0, 0, 0);
    }
  }

  @Test
  void aGlobalProfileArnIsResolvedAndPricedAtTheGlobalRate() {
    String arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0";
    bedrock.enqueue(BedrockReply.usage(BedrockUsage.of(1000, 100)));

    AgentRun run = runBedrock("converse", arn).succeeded();

    assertThat(MockBedrockServer.modelId(bedrock.lastRequest())).contains(arn);
    String model = "global.anthropic.claude-sonnet-4-5-20250929-v1:0";
    ReceivedSpan span = harness.otlp().awaitSpan("chat " + model, WAIT);
    assertThat(span.attributes())
        .containsEntry("gen_ai.request.model", model)
        // global endpoint: 1000 x 3.00 + 100 x 15.00 = 3000 + 1500 = 4500 micro-USD
        .containsEntry("gen_ai.usage.cost.amount", 0.0045)
        .containsEntry("aicost.pricing.tier", "standard@global");
    assertThat(run.singleLedgerLine().get("cost").get("amount").asText()).isEqualTo("0.0045");
  }

  @Test
  void aFoundationModelArnIsResolvedToItsModelId() {
    bedrock.enqueue(BedrockReply.usage(BedrockUsage.of(1000, 200)));

    AgentRun run =
        runBedrock("converse-async", "arn:aws:bedrock:us-east-1::foundation-model/" + NOVA_LITE).succeeded();

    assertThat(run.results()).containsEntry("input_tokens", "1000");
    ReceivedSpan span = harness.otlp().awaitSpan("chat " + NOVA_LITE, WAIT);
    assertThat(span.attributes())
        .containsEntry("gen_ai.request.model", NOVA_LITE)
        // 1000 x 0.06 + 200 x 0.24 = 60 + 48 = 108 micro-USD
        .containsEntry("gen_ai.usage.cost.amount", 0.000108)
        .containsEntry("aicost.pricing.entry", "aws.bedrock/" + NOVA_LITE);
    assertThat(run.singleLedgerLine().get("cost").get("amount").asText()).isEqualTo("0.000108");
  }

  @Test
  void converseStreamIsPricedFromTheMetadataEvent() {
    bedrock.enqueue(BedrockReply.usage(BedrockUsage.of(1000, 200)).withStopReason("max_tokens"));

    AgentRun run = runBedrock("converse-stream", NOVA_LITE).succeeded();

    assertThat(run.resultLines()).anyMatch(l -> l.contains("last=metadata"));
    ReceivedSpan span = harness.otlp().awaitSpan("chat " + NOVA_LITE, WAIT);
    assertThat(span.attributes())
        .containsEntry("gen_ai.request.stream", true)
        .containsEntry("gen_ai.response.finish_reasons", List.of("max_tokens"))
        .containsEntry("gen_ai.usage.input_tokens", 1000L)
        .containsEntry("gen_ai.usage.output_tokens", 200L)
        .containsEntry("gen_ai.usage.cost.amount", 0.000108)
        .containsKey("gen_ai.response.id")
        .doesNotContainKey("aicost.end_reason");
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("stream").asBoolean()).isTrue();
    assertThat(line.get("cost").get("amount").asText()).isEqualTo("0.000108");
    assertThat(harness.otlp().spans()).hasSize(1);
  }

  @Test
  void aStreamCancelledByTheApplicationEndsOnceWithoutInventingUsage() {
    bedrock.enqueue(BedrockReply.success().withEventDelay(java.time.Duration.ofMillis(20)));

    AgentRun run = runBedrock("converse-stream-cancel", NOVA_LITE).succeeded();

    assertThat(run.results()).containsEntry("seen", "1");
    ReceivedSpan span = harness.otlp().awaitSpan("chat " + NOVA_LITE, WAIT);
    assertThat(span.attributes())
        .containsEntry("aicost.end_reason", "stream_closed_early")
        .containsEntry("aicost.usage.available", false)
        .containsEntry("aicost.usage.unavailable_reason", "stream_closed_early")
        .containsEntry("aicost.priced", false)
        .doesNotContainKey("gen_ai.usage.cost.amount");
    assertThat(harness.otlp().spans()).hasSize(1);
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("end_reason").asText()).isEqualTo("stream_closed_early");
    assertThat(line.get("usage").isNull()).isTrue();
  }

  @Test
  void aStreamExceptionEventFailsTheCall() {
    bedrock.enqueue(BedrockReply.streamError(3));

    AgentRun run = runBedrock("converse-stream-error", NOVA_LITE).succeeded();

    ReceivedSpan span = harness.otlp().awaitSpan("chat " + NOVA_LITE, WAIT);
    assertThat(span.statusCode()).isEqualTo(ReceivedSpan.StatusCode.ERROR);
    assertThat(span.attributes())
        .containsEntry("error.type", streamErrorType(run))
        .containsEntry("aicost.usage.unavailable_reason", "stream_failed")
        .containsEntry("aicost.priced", false);
    assertThat(run.singleLedgerLine().get("error_type").asText()).isEqualTo(streamErrorType(run));
  }

  /**
   * Newer SDKs map the stream's {@code modelStreamErrorException} event to {@code ModelStreamErrorException} with its
   * modelled status, 424; 2.25 maps it to a generic {@code BedrockRuntimeException} with status 500.
   */
  static String streamErrorType(AgentRun run) {
    String error = run.results().get("error");
    if (error.endsWith(".ModelStreamErrorException")) {
      return "424";
    }
    assertThat(error).isEqualTo("software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException");
    return "500";
  }

  @Test
  void aThrottledCallIsAFailedSpanWithTheHttpStatus() {
    bedrock.enqueue(BedrockReply.throttling());

    AgentRun run = runBedrock("converse-error", HAIKU).succeeded();

    assertThat(run.results()).containsEntry(
        "error", "software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException");
    ReceivedSpan span = harness.otlp().awaitSpan("chat " + HAIKU, WAIT);
    assertThat(span.statusCode()).isEqualTo(ReceivedSpan.StatusCode.ERROR);
    assertThat(span.attributes())
        .containsEntry("error.type", "429")
        .containsEntry("aicost.usage.available", false)
        .containsEntry("aicost.usage.unavailable_reason", "error")
        .containsEntry("aicost.priced", false)
        .doesNotContainKey("gen_ai.usage.cost.amount");
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("error_type").asText()).isEqualTo("429");
    assertThat(line.get("cost").isNull()).isTrue();
    assertThat(harness.otlp().awaitMetric("gen_ai.client.operation.duration", WAIT).attributes())
        .containsEntry("error.type", "429");
  }

  @Test
  void aValidationErrorHasErrorType400() {
    bedrock.enqueue(BedrockReply.validation("The provided model identifier is invalid."));
    runBedrock("converse-error", HAIKU).succeeded();
    assertThat(harness.otlp().awaitSpan("chat " + HAIKU, WAIT).attributes()).containsEntry("error.type", "400");
  }

  @Test
  void retriedAttemptsAreOneSpanBilledOnce() {
    bedrock.enqueue(BedrockReply.throttling(), BedrockReply.serviceUnavailable(),
        BedrockReply.usage(BedrockUsage.of(1200, 80)));

    AgentRun run = runBedrock("retry-converse", HAIKU).succeeded();

    assertThat(bedrock.requests("converse")).hasSize(3);
    ReceivedSpan span = harness.otlp().awaitSpan("chat " + HAIKU, WAIT);
    assertThat(span.attributes()).containsEntry("gen_ai.usage.cost.amount", 0.0004).doesNotContainKey("error.type");
    assertThat(harness.otlp().spans()).hasSize(1);
    assertThat(run.singleLedgerLine().get("cost").get("amount").asText()).isEqualTo("0.0004");
  }

  @Test
  void aCancelledAsyncCallIsReportedAsCancelled() {
    bedrock.enqueue(BedrockReply.success().withDelay(java.time.Duration.ofSeconds(3)));

    AgentRun run = runBedrock("converse-async-cancel", HAIKU).succeeded();

    assertThat(run.results()).containsEntry("cancelled", "true").containsEntry("join", "cancelled");
    ReceivedSpan span = harness.otlp().awaitSpan("chat " + HAIKU, WAIT);
    assertThat(span.attributes())
        .containsEntry("aicost.end_reason", "cancelled")
        .containsEntry("aicost.priced", false);
    assertThat(run.singleLedgerLine().get("end_reason").asText()).isEqualTo("cancelled");
  }

  @Test
  void attributionScopesApplyAndNeitherPromptsNorCredentialsLeaveTheProcess() {
    AgentRun run = runBedrock("attributed", HAIKU).succeeded();

    ReceivedSpan span = harness.otlp().awaitSpan("chat " + HAIKU, WAIT);
    assertThat(span.attributes())
        .containsEntry("aicost.team", "finance")
        .containsEntry("aicost.feature", "invoice-summary");
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("attribution").get("team").asText()).isEqualTo("finance");
    String everything = span.attributes().toString() + span.resourceAttributes() + run.ledgerText() + run.stderr();
    assertThat(everything)
        .doesNotContain("capital of Portugal")
        .doesNotContain(run.results().get("text"))
        .doesNotContain("AKIDEXAMPLE")
        .doesNotContain("SECRETKEY")
        .doesNotContainIgnoringCase("AWS4-HMAC-SHA256");
    assertThat(bedrock.lastRequest().body()).contains("capital of Portugal");
  }

  static void assertUsage(JsonNode line, long input, long output, long cacheRead, long write5m, long write1h) {
    JsonNode u = line.get("usage");
    assertThat(u.get("input_tokens").asLong()).isEqualTo(input);
    assertThat(u.get("output_tokens").asLong()).isEqualTo(output);
    assertThat(u.get("cache_read_tokens").asLong()).isEqualTo(cacheRead);
    assertThat(u.get("cache_write_5m_tokens").asLong()).isEqualTo(write5m);
    assertThat(u.get("cache_write_1h_tokens").asLong()).isEqualTo(write1h);
    assertThat(u.get("reasoning_tokens").asLong()).isZero();
  }
}
