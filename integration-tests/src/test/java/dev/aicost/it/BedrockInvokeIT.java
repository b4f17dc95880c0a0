package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aicost.testing.BedrockReply;
import dev.aicost.testing.BedrockUsage;
import dev.aicost.testing.ReceivedSpan;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * InvokeModel and InvokeModelWithResponseStream through the real AWS SDK Bedrock Runtime clients, each model family
 * in its native body format, metered by the agent in a forked JVM.
 *
 * <p>Bedrock on-demand prices used (USD per 1M tokens, aws.amazon.com/bedrock/pricing, us-east-1): Claude 3 Haiku
 * input 0.25, output 1.25; Claude Sonnet 4.5 through a {@code us.} profile input 3.30, cache read 0.33, 5-minute
 * write 4.125, 1-hour write 6.60, output 16.50; Nova Lite 0.06 / 0.24; Titan Text Embeddings V2 0.02; Llama 3.1 70B
 * Instruct 0.72 / 0.72; Mistral 7B Instruct 0.15 / 0.20; Cohere Command R 0.50 / 1.50; Cohere Embed English v3 0.10.
 */
class BedrockInvokeIT extends BedrockIntegrationTest {

  static final String HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
  static final String SONNET_US = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
  static final String NOVA_LITE = "amazon.nova-lite-v1:0";
  static final String TITAN_EMBED = "amazon.titan-embed-text-v2:0";
  static final String LLAMA = "meta.llama3-1-70b-instruct-v1:0";
  static final String MISTRAL = "mistral.mistral-7b-instruct-v0:2";
  static final String COMMAND_R = "cohere.command-r-v1:0";
  static final String COHERE_EMBED = "cohere.embed-english-v3";

  @Test
  void invokeModelIsPricedFromTheTokenCountHeaders() {
    bedrock.enqueue(BedrockReply.usage(BedrockUsage.of(1000, 100)));

    AgentRun run = runBedrock("invoke", HAIKU).succeeded();

    assertThat(run.results().get("body")).contains("\"type\":\"message\"");
    ReceivedSpan span = harness.otlp().awaitSpan("chat " + HAIKU, WAIT);
    assertThat(span.attributes())
        .containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.provider.name", "aws.bedrock")
        .containsEntry("gen_ai.request.model", HAIKU)
        .containsEntry("gen_ai.request.stream", false)
        .containsEntry("gen_ai.response.id", run.results().get("request_id"))
        .containsEntry("gen_ai.response.finish_reasons", List.of("end_turn"))
        .containsEntry("server.address", "127.0.0.1")
        .containsEntry("server.port", (long) bedrock.port())
        .containsEntry("gen_ai.usage.input_tokens", 1000L)
        .containsEntry("gen_ai.usage.output_tokens", 100L)
        .containsEntry("gen_ai.usage.cache_read.input_tokens", 0L)
        .containsEntry("gen_ai.usage.cache_creation.input_tokens", 0L)
        // 1000 x 0.25 + 100 x 1.25 = 250 + 125 = 375 micro-USD
        .containsEntry("gen_ai.usage.cost.amount", 0.000375)
        .containsEntry("aicost.cost.input", 0.00025)
        .containsEntry("aicost.cost.output", 0.000125)
        .containsEntry("aicost.pricing.entry", "aws.bedrock/" + HAIKU)
        .doesNotContainKey("error.type");
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("operation").asText()).isEqualTo("chat");
    assertThat(line.get("response_id").asText()).isEqualTo(run.results().get("request_id"));
    BedrockConverseIT.assertUsage(line, 1000, 100, 0, 0, 0);
    assertThat(line.get("cost").get("amount").asText()).isEqualTo("0.000375");
  }

  @Test
  void anthropicCacheCountsComeFromTheHeadersAndTheirTtlSplitFromTheBody() {
    bedrock.enqueue(BedrockReply.usage(BedrockUsage.cached(200, 500, 10_000, 3000).withCacheWrite1h(1000)));

    AgentRun run = runBedrock("invoke", SONNET_US).succeeded();

    ReceivedSpan span = harness.otlp().awaitSpan("chat " + SONNET_US, WAIT);
    assertThat(span.attributes())
        .containsEntry("gen_ai.usage.input_tokens", 13_200L)
        .containsEntry("gen_ai.usage.cache_read.input_tokens", 10_000L)
        .containsEntry("gen_ai.usage.cache_creation.input_tokens", 3000L)
        .containsEntry("aicost.usage.cache_write_5m.input_tokens", 2000L)
        .containsEntry("aicost.usage.cache_write_1h.input_tokens", 1000L)
        // 200 x 3.30 + 10000 x 0.33 + 2000 x 4.125 + 1000 x 6.60 + 500 x 16.50 = 27060 micro-USD
        .containsEntry("gen_ai.usage.cost.amount", 0.02706);
    BedrockConverseIT.assertUsage(run.singleLedgerLine(), 13_200, 500, 10_000, 2000, 1000);
  }

  @Test
  void withoutTheHeadersEachFamilysNativeBodyIsRead() {
    bedrock.enqueue(
        BedrockReply.usage(BedrockUsage.of(1000, 200)).withoutTokenHeaders(),
        BedrockReply.usage(BedrockUsage.of(500, 0)).withoutTokenHeaders(),
        BedrockReply.usage(BedrockUsage.of(1000, 500)).withoutTokenHeaders(),
        BedrockReply.usage(BedrockUsage.of(1000, 500)).withoutTokenHeaders());

    AgentRun run = runBedrock("invoke", String.join(",", NOVA_LITE, TITAN_EMBED, LLAMA, MISTRAL)).succeeded();

    assertThat(bedrock.requests("invoke")).hasSize(4);
    // Nova usage.inputTokens / outputTokens: 1000 x 0.06 + 200 x 0.24 = 60 + 48 = 108 micro-USD
    assertThat(harness.otlp().awaitSpan("chat " + NOVA_LITE, WAIT).attributes())
        .containsEntry("gen_ai.usage.input_tokens", 1000L)
        .containsEntry("gen_ai.usage.output_tokens", 200L)
        .containsEntry("gen_ai.response.finish_reasons", List.of("end_turn"))
        .containsEntry("gen_ai.usage.cost.amount", 0.000108);
    // Titan embeddings inputTextTokenCount: 500 x 0.02 = 10 micro-USD
    assertThat(harness.otlp().awaitSpan("embeddings " + TITAN_EMBED, WAIT).attributes())
        .containsEntry("gen_ai.operation.name", "embeddings")
        .containsEntry("gen_ai.usage.input_tokens", 500L)
        .containsEntry("gen_ai.usage.output_tokens", 0L)
        .containsEntry("gen_ai.usage.cost.amount", 0.00001);
    // Llama prompt_token_count / generation_token_count: 1000 x 0.72 + 500 x 0.72 = 1080 micro-USD
    assertThat(harness.otlp().awaitSpan("chat " + LLAMA, WAIT).attributes())
        .containsEntry("gen_ai.usage.input_tokens", 1000L)
        .containsEntry("gen_ai.usage.output_tokens", 500L)
        .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
        .containsEntry("gen_ai.usage.cost.amount", 0.00108);
    // Mistral's body has no token counts: unpriced, never a guess.
    assertThat(harness.otlp().awaitSpan("chat " + MISTRAL, WAIT).attributes())
        .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
        .containsEntry("aicost.usage.available", false)
        .containsEntry("aicost.usage.unavailable_reason", "no_usage_in_response")
        .containsEntry("aicost.priced", false)
        .containsEntry("aicost.unpriced_reason", "usage_unavailable");
    assertThat(run.ledger()).hasSize(4);
  }

  @Test
  void theHeadersPriceFamiliesWhoseBodiesHaveNoCounts() {
    bedrock.enqueue(
        BedrockReply.usage(BedrockUsage.of(1000, 1000)),
        BedrockReply.usage(BedrockUsage.of(1000, 100)),
        BedrockReply.usage(BedrockUsage.of(300, 0)));

    AgentRun run = runBedrock("invoke", String.join(",", MISTRAL, COMMAND_R, COHERE_EMBED)).succeeded();

    // 1000 x 0.15 + 1000 x 0.20 = 150 + 200 = 350 micro-USD
    assertThat(harness.otlp().awaitSpan("chat " + MISTRAL, WAIT).attributes())
        .containsEntry("gen_ai.usage.cost.amount", 0.00035);
    // 1000 x 0.50 + 100 x 1.50 = 500 + 150 = 650 micro-USD
    assertThat(harness.otlp().awaitSpan("chat " + COMMAND_R, WAIT).attributes())
        .containsEntry("gen_ai.response.finish_reasons", List.of("COMPLETE"))
        .containsEntry("gen_ai.usage.cost.amount", 0.00065);
    // 300 x 0.10 = 30 micro-USD
    assertThat(harness.otlp().awaitSpan("embeddings " + COHERE_EMBED, WAIT).attributes())
        .containsEntry("gen_ai.operation.name", "embeddings")
        .containsEntry("gen_ai.usage.cost.amount", 0.00003);
    assertThat(run.ledger()).extracting(l -> l.get("cost").get("amount").asText())
        .containsExactly("0.00035", "0.00065", "0.00003");
  }

  @Test
  void asyncInvokeModelIsMeteredWhenTheFutureCompletes() {
    bedrock.enqueue(BedrockReply.usage(BedrockUsage.of(1000, 100)));
    AgentRun run = runBedrock("invoke-async", HAIKU).succeeded();
    assertThat(harness.otlp().awaitSpan("chat " + HAIKU, WAIT).attributes())
        .containsEntry("gen_ai.usage.cost.amount", 0.000375);
    assertThat(run.singleLedgerLine().get("cost").get("amount").asText()).isEqualTo("0.000375");
  }

  @Test
  void anthropicStreamUsesTheInvocationMetricsAndTheMessageStartCacheCounts() {
    bedrock.enqueue(BedrockReply.usage(BedrockUsage.cached(200, 500, 10_000, 3000).withCacheWrite1h(1000)));

    AgentRun run = runBedrock("invoke-stream", SONNET_US).succeeded();

    assertThat(run.results().get("last_chunk")).contains("amazon-bedrock-invocationMetrics");
    ReceivedSpan span = harness.otlp().awaitSpan("chat " + SONNET_US, WAIT);
    assertThat(span.attributes())
        .containsEntry("gen_ai.request.stream", true)
        .containsEntry("gen_ai.response.finish_reasons", List.of("end_turn"))
        .containsEntry("gen_ai.usage.input_tokens", 13_200L)
        .containsEntry("gen_ai.usage.output_tokens", 500L)
        .containsEntry("aicost.usage.cache_write_1h.input_tokens", 1000L)
        .containsEntry("gen_ai.usage.cost.amount", 0.02706)
        .containsKey("gen_ai.response.id");
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("stream").asBoolean()).isTrue();
    assertThat(line.get("cost").get("amount").asText()).isEqualTo("0.02706");
  }

  @Test
  void withoutInvocationMetricsAStreamIsPricedFromTheFamilysOwnCounts() {
    bedrock.enqueue(BedrockReply.usage(BedrockUsage.of(1000, 500)).withoutInvocationMetrics());

    AgentRun run = runBedrock("invoke-stream", LLAMA).succeeded();

    assertThat(run.results().get("last_chunk")).doesNotContain("invocationMetrics");
    assertThat(harness.otlp().awaitSpan("chat " + LLAMA, WAIT).attributes())
        .containsEntry("gen_ai.usage.input_tokens", 1000L)
        .containsEntry("gen_ai.usage.output_tokens", 500L)
        .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
        .containsEntry("gen_ai.usage.cost.amount", 0.00108);
  }

  @Test
  void aStreamErrorFailsTheCallAndACutStreamIsNeverPricedFromPartialCounts() {
    bedrock.enqueue(BedrockReply.streamError(2));
    AgentRun failed = runBedrock("invoke-stream-error", HAIKU).succeeded();
    ReceivedSpan span = harness.otlp().awaitSpan("chat " + HAIKU, WAIT);
    assertThat(span.statusCode()).isEqualTo(ReceivedSpan.StatusCode.ERROR);
    assertThat(span.attributes())
        .containsEntry("error.type", BedrockConverseIT.streamErrorType(failed))
        .containsEntry("aicost.usage.unavailable_reason", "stream_failed");

    harness.reset();
    bedrock.enqueue(BedrockReply.usage(BedrockUsage.of(1000, 500)).cutAfter(3));
    AgentRun cut = runBedrock("invoke-stream-error", LLAMA).succeeded();
    assertThat(cut.results()).containsKey("error");
    ReceivedSpan cutSpan = harness.otlp().awaitSpan("chat " + LLAMA, WAIT);
    assertThat(cutSpan.attributes())
        .containsEntry("aicost.usage.available", false)
        .containsEntry("aicost.priced", false);
    assertThat((String) cutSpan.attributes().get("aicost.usage.unavailable_reason"))
        .isIn("no_usage_in_stream", "stream_failed");
    assertThat(cut.singleLedgerLine().get("usage").isNull()).isTrue();
  }
}
