package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aicost.testing.AnthropicReply;
import dev.aicost.testing.AnthropicTokenUsage;
import dev.aicost.testing.MetricPoint;
import dev.aicost.testing.ReceivedSpan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Messages API through the real anthropic-java client (version {@code it.anthropic.version}), metered by the
 * agent in a forked JVM: spans and metrics received over OTLP and the cost ledger, checked against hand-computed
 * prices.
 *
 * <p>Prices used (Anthropic list prices, USD per 1M tokens; web search USD 10 per 1,000 searches):
 * claude-sonnet-4-5 input 3.00, cache read 0.30, 5-minute cache write 3.75, 1-hour cache write 6.00, output 15.00;
 * claude-haiku-4-5 input 1.00, output 5.00.
 *
 * <p>Default mock usage for the scenarios' prompt ("Summarize the plot of Hamlet in one line", 40 characters):
 * 3 base + 4 message overhead + 10 text = 17 input tokens; 64 output tokens.
 */
class AnthropicMessagesIT extends AgentIntegrationTest {

  @Test
  void syncMessageIsOneClientSpanWithNormalizedUsageCostAndMetrics() {
    harness.anthropic().enqueue(AnthropicReply.usage(new AnthropicTokenUsage(100, 2000, 300, 400, 50, 2)));

    AgentRun run = harness.runAnthropic("messages-sync").succeeded();

    assertThat(run.results()).containsEntry("model", "claude-sonnet-4-5-20250929").containsEntry("input_tokens", "100");
    ReceivedSpan span = harness.otlp().awaitSpan("chat claude-sonnet-4-5", WAIT);
    assertThat(span.kind()).isEqualTo(ReceivedSpan.Kind.CLIENT);
    assertThat(span.statusCode()).isEqualTo(ReceivedSpan.StatusCode.UNSET);
    assertThat(span.attributes())
        .containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.provider.name", "anthropic")
        .containsEntry("gen_ai.request.model", "claude-sonnet-4-5")
        .containsEntry("gen_ai.response.model", "claude-sonnet-4-5-20250929")
        .containsEntry("gen_ai.response.id", run.results().get("id"))
        .containsEntry("gen_ai.response.finish_reasons", List.of("end_turn"))
        .containsEntry("gen_ai.request.stream", false)
        .containsEntry("server.address", "127.0.0.1")
        .containsEntry("server.port", (long) harness.anthropic().port())
        // Anthropic's input_tokens (100) excludes the cache: 100 + 2000 read + 300 + 400 written
        .containsEntry("gen_ai.usage.input_tokens", 2800L)
        .containsEntry("gen_ai.usage.output_tokens", 50L)
        .containsEntry("gen_ai.usage.cache_read.input_tokens", 2000L)
        .containsEntry("gen_ai.usage.cache_creation.input_tokens", 700L)
        .containsEntry("aicost.usage.cache_write_5m.input_tokens", 300L)
        .containsEntry("aicost.usage.cache_write_1h.input_tokens", 400L)
        .containsEntry("aicost.usage.web_search.calls", 2L)
        .containsEntry("gen_ai.usage.reasoning.output_tokens", 0L)
        .containsEntry("aicost.usage.available", true)
        .containsEntry("aicost.service_tier", "standard")
        // 100 x 3.00 + 2000 x 0.30 + 300 x 3.75 + 400 x 6.00 + 50 x 15.00 = 300 + 600 + 1125 + 2400 + 750 micro-USD,
        // + 2 searches x USD 0.01 = 20000 micro-USD: 25175 micro-USD
        .containsEntry("gen_ai.usage.cost.amount", 0.025175)
        .containsEntry("gen_ai.usage.cost.currency", "USD")
        .containsEntry("gen_ai.usage.cost.source", "local")
        .containsEntry("aicost.cost.input", 0.0003)
        .containsEntry("aicost.cost.cache_read", 0.0006)
        .containsEntry("aicost.cost.cache_write_5m", 0.001125)
        .containsEntry("aicost.cost.cache_write_1h", 0.0024)
        .containsEntry("aicost.cost.output", 0.00075)
        .containsEntry("aicost.cost.web_search", 0.02)
        .containsEntry("aicost.priced", true)
        .containsEntry("aicost.pricing.entry", "anthropic/claude-sonnet-4-5")
        .containsEntry("aicost.pricing.tier", "standard")
        .containsKey("aicost.pricing.catalog_version")
        .doesNotContainKey("error.type")
        .doesNotContainKey("aicost.end_reason");

    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("trace_id").asText()).isEqualTo(span.traceId());
    assertThat(line.get("span_id").asText()).isEqualTo(span.spanId());
    assertThat(line.get("kind").asText()).isEqualTo("llm");
    assertThat(line.get("provider").asText()).isEqualTo("anthropic");
    assertThat(line.get("operation").asText()).isEqualTo("chat");
    assertThat(line.get("request_model").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(line.get("response_model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(line.get("response_id").asText()).isEqualTo(run.results().get("id"));
    assertThat(line.get("stream").asBoolean()).isFalse();
    assertThat(line.get("service_tier").asText()).isEqualTo("standard");
    assertThat(line.get("server_address").asText()).isEqualTo("127.0.0.1");
    assertThat(line.get("error_type").isNull()).isTrue();
    JsonNode usage = line.get("usage");
    assertThat(usage.get("input_tokens").asLong()).isEqualTo(2800);
    assertThat(usage.get("output_tokens").asLong()).isEqualTo(50);
    assertThat(usage.get("cache_read_tokens").asLong()).isEqualTo(2000);
    assertThat(usage.get("cache_write_5m_tokens").asLong()).isEqualTo(300);
    assertThat(usage.get("cache_write_1h_tokens").asLong()).isEqualTo(400);
    assertThat(usage.get("reasoning_tokens").asLong()).isZero();
    assertThat(usage.get("web_search_calls").asLong()).isEqualTo(2);
    JsonNode cost = line.get("cost");
    assertThat(cost.get("amount").asText()).isEqualTo("0.025175");
    assertThat(cost.get("currency").asText()).isEqualTo("USD");
    assertThat(cost.get("breakdown").get("input").asText()).isEqualTo("0.0003");
    assertThat(cost.get("breakdown").get("cache_read").asText()).isEqualTo("0.0006");
    assertThat(cost.get("breakdown").get("cache_write_5m").asText()).isEqualTo("0.001125");
    assertThat(cost.get("breakdown").get("cache_write_1h").asText()).isEqualTo("0.0024");
    assertThat(cost.get("breakdown").get("output").asText()).isEqualTo("0.00075");
    assertThat(cost.get("breakdown").get("web_search").asText()).isEqualTo("0.02");
    assertThat(line.get("priced").asBoolean()).isTrue();
    assertThat(line.get("unpriced_reason").isNull()).isTrue();
    assertThat(line.get("pricing_entry").asText()).isEqualTo("anthropic/claude-sonnet-4-5");
    assertThat(line.get("pricing_tier").asText()).isEqualTo("standard");

    MetricPoint input = harness.otlp().awaitMetric(
        "gen_ai.client.token.usage", p -> "input".equals(p.attribute("gen_ai.token.type")), WAIT);
    assertThat(input.sum()).isEqualTo(2800.0);
    assertThat(input.attributes())
        .containsEntry("gen_ai.provider.name", "anthropic")
        .containsEntry("gen_ai.request.model", "claude-sonnet-4-5")
        .containsEntry("gen_ai.response.model", "claude-sonnet-4-5-20250929");
    MetricPoint output = harness.otlp().awaitMetric(
        "gen_ai.client.token.usage", p -> "output".equals(p.attribute("gen_ai.token.type")), WAIT);
    assertThat(output.sum()).isEqualTo(50.0);
    assertThat(harness.otlp().awaitMetric("gen_ai.client.operation.cost", WAIT).sum()).isEqualTo(0.025175);
    MetricPoint spend = harness.otlp().awaitMetric("aicost.spend", WAIT);
    assertThat(spend.doubleValue()).isEqualTo(0.025175);
    assertThat(spend.attributes()).containsEntry("gen_ai.provider.name", "anthropic");
  }

  @Test
  void promptCachingIsPricedAsAFiveMinuteWriteThenARead() {
    // system: 4320 characters = 1080 tokens, + 3 base = a 1083-token cached prefix; the user turn: 4 + 10 tokens
    AgentRun run = harness.runAnthropic("messages-cached-twice").succeeded();
    List<JsonNode> ledger = run.ledger();
    assertThat(ledger).hasSize(2);
    JsonNode write = ledger.get(0);
    assertThat(write.get("usage").get("input_tokens").asLong()).isEqualTo(1097);
    assertThat(write.get("usage").get("cache_write_5m_tokens").asLong()).isEqualTo(1083);
    assertThat(write.get("usage").get("cache_read_tokens").asLong()).isZero();
    // 14 x 3.00 + 1083 x 3.75 + 64 x 15.00 = 42 + 4061.25 + 960 micro-USD
    assertThat(write.get("cost").get("amount").asText()).isEqualTo("0.00506325");
    JsonNode read = ledger.get(1);
    assertThat(read.get("usage").get("input_tokens").asLong()).isEqualTo(1097);
    assertThat(read.get("usage").get("cache_read_tokens").asLong()).isEqualTo(1083);
    assertThat(read.get("usage").get("cache_write_5m_tokens").asLong()).isZero();
    // 14 x 3.00 + 1083 x 0.30 + 64 x 15.00 = 42 + 324.9 + 960 micro-USD
    assertThat(read.get("cost").get("amount").asText()).isEqualTo("0.0013269");
    for (JsonNode line : ledger) {
      assertThat(line.get("attribution").get("team").asText()).isEqualTo("support");
      assertThat(line.get("attribution").get("feature").asText()).isEqualTo("ticket-summary");
    }
    assertThat(harness.otlp().awaitSpans(2, WAIT))
        .allSatisfy(s -> assertThat(s.attributes()).containsEntry("aicost.team", "support"));
  }

  @Test
  void asyncMessageIsMeteredWhenTheFutureCompletes() {
    AgentRun run = harness.runAnthropic("messages-async").succeeded();
    assertThat(run.results()).containsEntry("input_tokens", "17").containsEntry("output_tokens", "64");
    // 17 x 3.00 + 64 x 15.00 = 51 + 960 micro-USD
    assertThat(harness.otlp().awaitSpan("chat claude-sonnet-4-5", WAIT).attributes())
        .containsEntry("gen_ai.usage.cost.amount", 0.001011)
        .containsEntry("gen_ai.request.stream", false);
    assertThat(run.singleLedgerLine().get("cost").get("amount").asText()).isEqualTo("0.001011");
  }

  @Test
  void streamIsPricedFromMessageStartAndTheLastMessageDelta() {
    AgentRun run = harness.runAnthropic("messages-stream").succeeded();
    assertThat(run.results().get("text")).isNotEmpty();
    ReceivedSpan span = harness.otlp().awaitSpan("chat claude-haiku-4-5", WAIT);
    assertThat(span.attributes())
        .containsEntry("gen_ai.request.stream", true)
        .containsEntry("gen_ai.response.model", "claude-haiku-4-5-20251001")
        .containsEntry("gen_ai.response.finish_reasons", List.of("end_turn"))
        .containsEntry("gen_ai.usage.input_tokens", 17L)
        .containsEntry("gen_ai.usage.output_tokens", 64L)
        // 17 x 1.00 + 64 x 5.00 = 17 + 320 micro-USD
        .containsEntry("gen_ai.usage.cost.amount", 0.000337)
        .containsEntry("aicost.pricing.entry", "anthropic/claude-haiku-4-5");
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("stream").asBoolean()).isTrue();
    assertThat(line.get("cost").get("amount").asText()).isEqualTo("0.000337");
  }

  @Test
  void asyncStreamIsMeteredWhenTheStreamCompletes() {
    AgentRun run = harness.runAnthropic("messages-async-stream").succeeded();
    assertThat(run.results()).containsEntry("failed", "false");
    assertThat(harness.otlp().awaitSpan("chat claude-haiku-4-5", WAIT).attributes())
        .containsEntry("gen_ai.request.stream", true)
        .containsEntry("gen_ai.usage.cost.amount", 0.000337);
    assertThat(run.ledger()).hasSize(1);
  }

  @Test
  void earlyCloseEndsTheSpanOnceWithoutInventingUsage() {
    AgentRun run = harness.runAnthropic("messages-stream-early-close").succeeded();
    assertThat(run.results()).containsEntry("first_event_is_start", "true");
    ReceivedSpan span = harness.otlp().awaitSpan("chat claude-haiku-4-5", WAIT);
    assertThat(span.attributes())
        .containsEntry("aicost.end_reason", "stream_closed_early")
        .containsEntry("aicost.usage.unavailable_reason", "stream_closed_early")
        .containsEntry("aicost.priced", false)
        .doesNotContainKey("gen_ai.usage.input_tokens");
    assertThat(harness.otlp().spans()).hasSize(1);
    assertThat(run.singleLedgerLine().get("end_reason").asText()).isEqualTo("stream_closed_early");
  }

  @Test
  void rateLimitedCallHasErrorType429AndNoCost() {
    harness.anthropic().enqueue(AnthropicReply.rateLimited());
    AgentRun run = harness.runAnthropic("messages-error").succeeded();
    assertThat(run.results()).containsEntry("error", "com.anthropic.errors.RateLimitException");
    ReceivedSpan span = harness.otlp().awaitSpan("chat claude-sonnet-4-5", WAIT);
    assertThat(span.statusCode()).isEqualTo(ReceivedSpan.StatusCode.ERROR);
    assertThat(span.attributes())
        .containsEntry("error.type", "429")
        .containsEntry("aicost.priced", false)
        .doesNotContainKey("gen_ai.usage.cost.amount");
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("error_type").asText()).isEqualTo("429");
    assertThat(line.get("cost").isNull()).isTrue();
  }

  @Test
  void overloadedCallHasErrorType529() {
    harness.anthropic().enqueue(AnthropicReply.overloaded());
    harness.runAnthropic("messages-error").succeeded();
    assertThat(harness.otlp().awaitSpan("chat claude-sonnet-4-5", WAIT).attributes()).containsEntry("error.type", "529");
  }

  @Test
  void errorEventInTheStreamFailsTheSpanWithAnthropicsErrorType() {
    harness.anthropic().enqueue(AnthropicReply.streamError(4, "overloaded_error", "Overloaded"));
    AgentRun run = harness.runAnthropic("messages-stream-error").succeeded();
    assertThat(run.results().get("error")).isNotEqualTo("none");
    ReceivedSpan span = harness.otlp().awaitSpan("chat claude-haiku-4-5", WAIT);
    assertThat(span.statusCode()).isEqualTo(ReceivedSpan.StatusCode.ERROR);
    assertThat(span.attributes())
        .containsEntry("error.type", "overloaded_error")
        .containsEntry("aicost.usage.unavailable_reason", "stream_failed")
        .containsEntry("aicost.priced", false);
    assertThat(run.singleLedgerLine().get("error_type").asText()).isEqualTo("overloaded_error");
  }

  @Test
  void streamCutMidwayReachesTheAppAndMarksTheSpan() {
    harness.anthropic().enqueue(AnthropicReply.cutStream(3));
    AgentRun run = harness.runAnthropic("messages-stream-error").succeeded();
    assertThat(run.results().get("error")).isNotEqualTo("none");
    ReceivedSpan span = harness.otlp().awaitSpan("chat claude-haiku-4-5", WAIT);
    assertThat(span.statusCode()).isEqualTo(ReceivedSpan.StatusCode.ERROR);
    assertThat(span.attributes())
        .containsKey("error.type")
        .containsEntry("aicost.usage.unavailable_reason", "stream_failed");
    assertThat(run.ledger()).hasSize(1);
  }

  @Test
  void retriedCallIsOneSpanBilledOnce() {
    harness.anthropic().enqueue(
        AnthropicReply.overloaded().withRetryAfter(Duration.ofMillis(10)),
        AnthropicReply.usage(AnthropicTokenUsage.of(1000, 100)));
    AgentRun run = harness.runAnthropic("retry-messages").succeeded();
    assertThat(harness.anthropic().requests("/v1/messages")).hasSize(2);
    // 1000 x 3.00 + 100 x 15.00 = 3000 + 1500 micro-USD
    assertThat(harness.otlp().awaitSpan("chat claude-sonnet-4-5", WAIT).attributes())
        .containsEntry("gen_ai.usage.cost.amount", 0.0045)
        .doesNotContainKey("error.type");
    assertThat(harness.otlp().spans()).hasSize(1);
    assertThat(run.singleLedgerLine().get("cost").get("amount").asText()).isEqualTo("0.0045");
  }

  @Test
  void rawResponsePathIsMeteredWhenParsed() {
    AgentRun run = harness.runAnthropic("messages-raw").succeeded();
    assertThat(run.results()).containsEntry("status", "200");
    assertThat(harness.otlp().awaitSpan("chat claude-sonnet-4-5", WAIT).attributes())
        .containsEntry("gen_ai.usage.cost.amount", 0.001011);
    assertThat(run.ledger()).hasSize(1);
  }

  @Test
  void betaMessagesAreMeteredLikeMessages() {
    harness.anthropic().enqueue(AnthropicReply.usage(new AnthropicTokenUsage(100, 2000, 300, 400, 50, 0)));
    AgentRun run = harness.runAnthropic("beta-messages-sync").succeeded();
    assertThat(run.results()).containsEntry("input_tokens", "100");
    assertThat(harness.otlp().awaitSpan("chat claude-sonnet-4-5", WAIT).attributes())
        .containsEntry("gen_ai.usage.input_tokens", 2800L)
        .containsEntry("aicost.usage.cache_write_1h.input_tokens", 400L)
        // as above without the searches: 5175 micro-USD
        .containsEntry("gen_ai.usage.cost.amount", 0.005175);
    assertThat(harness.anthropic().lastRequest().header("anthropic-beta")).contains("context-1m-2025-08-07");
  }

  @Test
  void betaStreamIsMetered() {
    AgentRun run = harness.runAnthropic("beta-messages-stream").succeeded();
    assertThat(Integer.parseInt(run.results().get("events"))).isGreaterThan(5);
    assertThat(harness.otlp().awaitSpan("chat claude-haiku-4-5", WAIT).attributes())
        .containsEntry("gen_ai.request.stream", true)
        .containsEntry("gen_ai.usage.cost.amount", 0.000337);
  }

  @Test
  void tokenCountingIsFreeAndNotMetered() throws InterruptedException {
    AgentRun run = harness.runAnthropic("count-tokens").succeeded();
    assertThat(run.results()).containsEntry("input_tokens", "17");
    assertThat(run.ledger()).isEmpty();
    Thread.sleep(300);
    assertThat(harness.otlp().spans()).isEmpty();
  }

  @Test
  void neitherPromptsNorCredentialsLeaveTheProcess() {
    AgentRun run = harness.runAnthropic("messages-sync").succeeded();
    ReceivedSpan span = harness.otlp().awaitSpan("chat claude-sonnet-4-5", WAIT);
    String everything = span.attributes().toString() + span.resourceAttributes() + run.ledgerText() + run.stderr();
    assertThat(everything)
        .doesNotContain("Hamlet")
        .doesNotContain(run.results().get("text"))
        .doesNotContain("sk-ant-test-secret-key");
    assertThat(run.stderr()).doesNotContain("disabled");
  }
}
