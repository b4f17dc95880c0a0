package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aicost.testing.MetricPoint;
import dev.aicost.testing.MockReply;
import dev.aicost.testing.OtlpReceiver;
import dev.aicost.testing.ReceivedSpan;
import dev.aicost.testing.TokenUsage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Chat Completions through the real openai-java client, metered by the agent in a forked JVM: spans and metrics
 * as received over OTLP, and the cost ledger, checked field by field against hand-computed prices.
 *
 * <p>Prices used (OpenAI list prices, USD per 1M tokens): gpt-4o input 2.50, cached input 1.25, output 10.00;
 * gpt-4o-mini input 0.15, cached input 0.075, output 0.60.
 */
class OpenAiChatIT extends AgentIntegrationTest {

  @Test
  void syncChatIsOneClientSpanWithUsageCostAndMetrics() {
    harness.openai().enqueue(MockReply.usage(TokenUsage.builder().promptTokens(1200).cachedTokens(1024).completionTokens(80).build()));

    AgentRun run = harness.runOpenAi("chat-sync").succeeded();

    assertThat(run.results()).containsEntry("model", "gpt-4o-2024-08-06").containsEntry("prompt_tokens", "1200");
    ReceivedSpan span = harness.otlp().awaitSpan("chat gpt-4o", WAIT);
    assertThat(span.kind()).isEqualTo(ReceivedSpan.Kind.CLIENT);
    assertThat(span.statusCode()).isEqualTo(ReceivedSpan.StatusCode.UNSET);
    assertThat(span.scopeName()).isEqualTo("dev.aicost");
    Map<String, Object> a = span.attributes();
    assertThat(a)
        .containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.provider.name", "openai")
        .containsEntry("gen_ai.request.model", "gpt-4o")
        .containsEntry("gen_ai.response.model", "gpt-4o-2024-08-06")
        .containsEntry("gen_ai.response.id", run.results().get("id"))
        .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
        .containsEntry("gen_ai.request.stream", false)
        .containsEntry("server.address", "127.0.0.1")
        .containsEntry("server.port", (long) harness.openai().port())
        .containsEntry("gen_ai.usage.input_tokens", 1200L)
        .containsEntry("gen_ai.usage.output_tokens", 80L)
        .containsEntry("gen_ai.usage.cache_read.input_tokens", 1024L)
        .containsEntry("gen_ai.usage.cache_creation.input_tokens", 0L)
        .containsEntry("gen_ai.usage.reasoning.output_tokens", 0L)
        .containsEntry("aicost.usage.available", true)
        .containsEntry("aicost.service_tier", "default")
        // (1200 - 1024) x 2.50 + 1024 x 1.25 + 80 x 10.00 = 440 + 1280 + 800 = 2520 micro-USD
        .containsEntry("gen_ai.usage.cost.amount", 0.00252)
        .containsEntry("gen_ai.usage.cost.currency", "USD")
        .containsEntry("gen_ai.usage.cost.source", "local")
        .containsEntry("aicost.cost.input", 0.00044)
        .containsEntry("aicost.cost.cache_read", 0.00128)
        .containsEntry("aicost.cost.output", 0.0008)
        .containsEntry("aicost.priced", true)
        .containsEntry("aicost.pricing.entry", "openai/gpt-4o-2024-08-06")
        .containsEntry("aicost.pricing.tier", "standard")
        .containsKey("aicost.pricing.catalog_version")
        .doesNotContainKey("error.type")
        // no scope and no default: said so, with the service as the owner
        .containsEntry("aicost.team", "unattributed")
        .containsEntry("aicost.owner", "aicost-it");
    assertThat(span.resourceAttributes()).containsEntry("service.name", "aicost-it");

    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("type").asText()).isEqualTo("call");
    assertThat(line.get("trace_id").asText()).isEqualTo(span.traceId());
    assertThat(line.get("span_id").asText()).isEqualTo(span.spanId());
    assertThat(line.get("kind").asText()).isEqualTo("llm");
    assertThat(line.get("provider").asText()).isEqualTo("openai");
    assertThat(line.get("operation").asText()).isEqualTo("chat");
    assertThat(line.get("request_model").asText()).isEqualTo("gpt-4o");
    assertThat(line.get("response_model").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(line.get("usage").get("input_tokens").asLong()).isEqualTo(1200);
    assertThat(line.get("usage").get("cache_read_tokens").asLong()).isEqualTo(1024);
    assertThat(line.get("usage").get("output_tokens").asLong()).isEqualTo(80);
    assertThat(line.get("cost").get("amount").asText()).isEqualTo("0.00252");
    assertThat(line.get("cost").get("currency").asText()).isEqualTo("USD");
    assertThat(line.get("cost").get("breakdown").get("input").asText()).isEqualTo("0.00044");
    assertThat(line.get("cost").get("breakdown").get("cache_read").asText()).isEqualTo("0.00128");
    assertThat(line.get("cost").get("breakdown").get("output").asText()).isEqualTo("0.0008");
    assertThat(line.get("priced").asBoolean()).isTrue();
    assertThat(line.get("unpriced_reason").isNull()).isTrue();
    assertThat(line.get("pricing_entry").asText()).isEqualTo("openai/gpt-4o-2024-08-06");
    assertThat(line.get("attribution").get("team").asText()).isEqualTo("unattributed");
    assertThat(line.get("attribution").get("owner").asText()).isEqualTo("aicost-it");

    MetricPoint input = harness.otlp().awaitMetric(
        "gen_ai.client.token.usage", p -> "input".equals(p.attribute("gen_ai.token.type")), WAIT);
    assertThat(input.unit()).isEqualTo("{token}");
    assertThat(input.count()).isEqualTo(1);
    assertThat(input.sum()).isEqualTo(1200.0);
    assertThat(input.explicitBounds()).containsExactly(
        1.0, 4.0, 16.0, 64.0, 256.0, 1024.0, 4096.0, 16384.0, 65536.0, 262144.0, 1048576.0, 4194304.0, 16777216.0,
        67108864.0);
    assertThat(input.attributes())
        .containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.provider.name", "openai")
        .containsEntry("gen_ai.request.model", "gpt-4o")
        .containsEntry("gen_ai.response.model", "gpt-4o-2024-08-06");
    MetricPoint output = harness.otlp().awaitMetric(
        "gen_ai.client.token.usage", p -> "output".equals(p.attribute("gen_ai.token.type")), WAIT);
    assertThat(output.sum()).isEqualTo(80.0);
    MetricPoint duration = harness.otlp().awaitMetric("gen_ai.client.operation.duration", WAIT);
    assertThat(duration.unit()).isEqualTo("s");
    assertThat(duration.count()).isEqualTo(1);
    assertThat(duration.explicitBounds()).startsWith(0.01, 0.02, 0.04).endsWith(81.92);
    MetricPoint cost = harness.otlp().awaitMetric("gen_ai.client.operation.cost", WAIT);
    assertThat(cost.sum()).isEqualTo(0.00252);
    assertThat(cost.attributes()).containsEntry("gen_ai.usage.cost.currency", "USD");
    MetricPoint spend = harness.otlp().awaitMetric("aicost.spend", WAIT);
    assertThat(spend.doubleValue()).isEqualTo(0.00252);
    assertThat(spend.attributes())
        .containsEntry("aicost.kind", "llm")
        .containsEntry("gen_ai.provider.name", "openai")
        .containsEntry("gen_ai.request.model", "gpt-4o")
        .containsEntry("aicost.currency", "USD");
  }

  @Test
  void neitherPromptsNorCredentialsLeaveTheProcess() {
    AgentRun run = harness.runOpenAi("chat-sync").succeeded();
    ReceivedSpan span = harness.otlp().awaitSpan("chat gpt-4o", WAIT);
    String everything = span.attributes().toString() + span.resourceAttributes() + run.ledgerText() + run.stderr();
    assertThat(everything)
        .doesNotContain("capital of France")
        .doesNotContain(run.results().get("content"))
        .doesNotContain("sk-test-secret-key")
        .doesNotContainIgnoringCase("authorization");
    assertThat(harness.openai().lastRequest().header("Authorization")).contains("Bearer sk-test-secret-key");
  }

  @Test
  void asyncChatIsMeteredWhenTheFutureCompletes() {
    harness.openai().enqueue(MockReply.usage(TokenUsage.of(1000, 100)));
    AgentRun run = harness.runOpenAi("chat-async").succeeded();
    assertThat(run.results()).containsEntry("prompt_tokens", "1000");
    ReceivedSpan span = harness.otlp().awaitSpan("chat gpt-4o", WAIT);
    // 1000 x 2.50 + 100 x 10.00 = 2500 + 1000 micro-USD
    assertThat(span.attributes()).containsEntry("gen_ai.usage.cost.amount", 0.0035);
    assertThat(run.singleLedgerLine().get("cost").get("amount").asText()).isEqualTo("0.0035");
  }

  @Test
  void streamingWithIncludeUsageIsPricedFromTheLastChunk() {
    harness.openai().enqueue(MockReply.usage(TokenUsage.of(20, 30)));
    AgentRun run = harness.runOpenAi("chat-stream-usage").succeeded();
    assertThat(run.results().get("text")).isNotEmpty();
    ReceivedSpan span = harness.otlp().awaitSpan("chat gpt-4o-mini", WAIT);
    assertThat(span.attributes())
        .containsEntry("gen_ai.request.stream", true)
        .containsEntry("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
        .containsEntry("gen_ai.usage.input_tokens", 20L)
        .containsEntry("gen_ai.usage.output_tokens", 30L)
        .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
        // 20 x 0.15 + 30 x 0.60 = 3 + 18 micro-USD
        .containsEntry("gen_ai.usage.cost.amount", 0.000021)
        .containsEntry("aicost.pricing.entry", "openai/gpt-4o-mini");
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("stream").asBoolean()).isTrue();
    assertThat(line.get("cost").get("amount").asText()).isEqualTo("0.000021");
  }

  @Test
  void asyncStreamingIsMeteredWhenTheStreamCompletes() {
    harness.openai().enqueue(MockReply.usage(TokenUsage.of(20, 30)));
    AgentRun run = harness.runOpenAi("chat-async-stream-usage").succeeded();
    assertThat(run.results().get("text")).isNotEmpty();
    assertThat(harness.otlp().awaitSpan("chat gpt-4o-mini", WAIT).attributes())
        .containsEntry("gen_ai.request.stream", true)
        .containsEntry("gen_ai.usage.cost.amount", 0.000021);
    assertThat(run.ledger()).hasSize(1);
  }

  @Test
  void streamingWithoutIncludeUsageSaysUsageIsUnavailable() {
    AgentRun run = harness.runOpenAi("chat-stream-no-usage").succeeded();
    assertThat(run.results().get("text")).isNotEmpty();
    ReceivedSpan span = harness.otlp().awaitSpan("chat gpt-4o-mini", WAIT);
    assertThat(span.attributes())
        .containsEntry("aicost.usage.available", false)
        .containsEntry("aicost.usage.unavailable_reason", "stream_options.include_usage_not_set")
        .containsEntry("aicost.priced", false)
        .containsEntry("aicost.unpriced_reason", "usage_unavailable")
        .doesNotContainKey("gen_ai.usage.input_tokens")
        .doesNotContainKey("gen_ai.usage.cost.amount");
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("usage").isNull()).isTrue();
    assertThat(line.get("cost").isNull()).isTrue();
    assertThat(line.get("usage_unavailable_reason").asText()).isEqualTo("stream_options.include_usage_not_set");
    MetricPoint unpriced = harness.otlp().awaitMetric("aicost.unpriced.calls", WAIT);
    assertThat(unpriced.longValue()).isEqualTo(1);
    assertThat(unpriced.attributes()).containsEntry("aicost.unpriced_reason", "usage_unavailable");
  }

  @Test
  void earlyCloseEndsTheSpanOnceWithoutInventingUsage() {
    AgentRun run = harness.runOpenAi("chat-stream-early-close").succeeded();
    assertThat(run.results()).containsKey("first_chunk_id");
    ReceivedSpan span = harness.otlp().awaitSpan("chat gpt-4o-mini", WAIT);
    assertThat(span.attributes())
        .containsEntry("aicost.end_reason", "stream_closed_early")
        .containsEntry("aicost.usage.unavailable_reason", "stream_closed_early")
        .containsEntry("aicost.priced", false);
    assertThat(harness.otlp().spans()).hasSize(1);
    assertThat(run.ledger()).hasSize(1);
  }

  @Test
  void rawResponsePathIsMeteredWhenParsed() {
    harness.openai().enqueue(MockReply.usage(TokenUsage.of(1000, 100)));
    AgentRun run = harness.runOpenAi("chat-raw").succeeded();
    assertThat(run.results()).containsEntry("status", "200");
    assertThat(harness.otlp().awaitSpan("chat gpt-4o", WAIT).attributes())
        .containsEntry("gen_ai.usage.cost.amount", 0.0035);
    assertThat(run.ledger()).hasSize(1);
  }

  @Test
  void rateLimitedCallHasErrorTypeAndNoCost() {
    harness.openai().enqueue(MockReply.rateLimited());
    AgentRun run = harness.runOpenAi("chat-error").succeeded();
    assertThat(run.results()).containsEntry("error", "com.openai.errors.RateLimitException");
    ReceivedSpan span = harness.otlp().awaitSpan("chat gpt-4o", WAIT);
    assertThat(span.statusCode()).isEqualTo(ReceivedSpan.StatusCode.ERROR);
    assertThat(span.attributes())
        .containsEntry("error.type", "429")
        .containsEntry("aicost.priced", false)
        .doesNotContainKey("gen_ai.usage.cost.amount");
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("error_type").asText()).isEqualTo("429");
    assertThat(line.get("cost").isNull()).isTrue();
    MetricPoint duration = harness.otlp().awaitMetric("gen_ai.client.operation.duration", WAIT);
    assertThat(duration.attributes()).containsEntry("error.type", "429");
    assertThat(harness.otlp().metricPoints("aicost.unpriced.calls")).isEmpty();
  }

  @Test
  void serverErrorHasErrorType500() {
    harness.openai().enqueue(MockReply.serverError());
    AgentRun run = harness.runOpenAi("chat-error").succeeded();
    assertThat(run.results()).containsEntry("error", "com.openai.errors.InternalServerException");
    assertThat(harness.otlp().awaitSpan("chat gpt-4o", WAIT).attributes()).containsEntry("error.type", "500");
  }

  @Test
  void retriedCallIsOneSpanBilledOnce() {
    harness.openai().enqueue(MockReply.rateLimited().withRetryAfter(Duration.ofMillis(10)), MockReply.usage(TokenUsage.of(1000, 100)));
    AgentRun run = harness.runOpenAi("retry-chat").succeeded();
    assertThat(harness.openai().requests("/v1/chat/completions")).hasSize(2);
    ReceivedSpan span = harness.otlp().awaitSpan("chat gpt-4o", WAIT);
    assertThat(span.attributes()).containsEntry("gen_ai.usage.cost.amount", 0.0035).doesNotContainKey("error.type");
    assertThat(harness.otlp().spans()).hasSize(1);
    assertThat(run.singleLedgerLine().get("cost").get("amount").asText()).isEqualTo("0.0035");
  }

  @Test
  void streamCutMidwayReachesTheAppAndMarksTheSpan() {
    harness.openai().enqueue(MockReply.cutStream(3));
    AgentRun run = harness.runOpenAi("chat-cut-stream").succeeded();
    assertThat(run.results().get("error")).isNotEqualTo("none");
    ReceivedSpan span = harness.otlp().awaitSpan("chat gpt-4o-mini", WAIT);
    assertThat(span.statusCode()).isEqualTo(ReceivedSpan.StatusCode.ERROR);
    assertThat(span.attributes())
        .containsKey("error.type")
        .containsEntry("aicost.usage.unavailable_reason", "stream_failed");
  }

  @Test
  void grpcExportWorksToo() {
    harness.openai().enqueue(MockReply.usage(TokenUsage.of(1000, 100)));
    harness.run(
            "dev.aicost.it.app.OpenAiScenarios",
            Map.of(
                "otel.exporter.otlp.protocol", "grpc",
                "otel.exporter.otlp.endpoint", harness.otlp().grpcEndpoint()),
            "chat-sync",
            harness.openai().baseUrl())
        .succeeded();
    assertThat(harness.otlp().awaitSpan("chat gpt-4o", WAIT).attributes())
        .containsEntry("gen_ai.usage.cost.amount", 0.0035);
    assertThat(harness.otlp().exportRequestCount(OtlpReceiver.Protocol.GRPC)).isPositive();
    assertThat(harness.otlp().exportRequestCount(OtlpReceiver.Protocol.HTTP_PROTOBUF)).isZero();
  }
}
