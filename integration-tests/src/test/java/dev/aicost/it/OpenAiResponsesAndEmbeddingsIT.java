package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aicost.testing.MockReply;
import dev.aicost.testing.ReceivedSpan;
import dev.aicost.testing.TokenUsage;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Responses API (sync and streaming) and Embeddings. Prices (USD per 1M tokens): gpt-4o input 2.50, cached
 * 1.25, output 10.00; text-embedding-3-small 0.02.
 */
class OpenAiResponsesAndEmbeddingsIT extends AgentIntegrationTest {

  @Test
  void responsesSyncIsPricedWithCachedAndReasoningTokens() {
    harness.openai().enqueue(MockReply.usage(
        TokenUsage.builder().promptTokens(3000).cachedTokens(2048).completionTokens(500).reasoningTokens(200).build()));
    AgentRun run = harness.runOpenAi("responses-sync").succeeded();
    assertThat(run.results()).containsEntry("input_tokens", "3000").containsEntry("output_tokens", "500");
    ReceivedSpan span = harness.otlp().awaitSpan("chat gpt-4o", WAIT);
    assertThat(span.attributes())
        .containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.response.id", run.results().get("id"))
        .containsEntry("gen_ai.usage.input_tokens", 3000L)
        .containsEntry("gen_ai.usage.cache_read.input_tokens", 2048L)
        .containsEntry("gen_ai.usage.output_tokens", 500L)
        .containsEntry("gen_ai.usage.reasoning.output_tokens", 200L)
        .containsEntry("gen_ai.response.finish_reasons", List.of("completed"))
        // (3000 - 2048) x 2.50 + 2048 x 1.25 + 500 x 10.00 = 2380 + 2560 + 5000 micro-USD (reasoning is output)
        .containsEntry("gen_ai.usage.cost.amount", 0.00994);
    assertThat(run.singleLedgerLine().get("cost").get("amount").asText()).isEqualTo("0.00994");
  }

  @Test
  void responsesStreamIsPricedFromTheCompletedEvent() {
    harness.openai().enqueue(MockReply.usage(TokenUsage.of(400, 100)));
    AgentRun run = harness.runOpenAi("responses-stream").succeeded();
    assertThat(Integer.parseInt(run.results().get("events"))).isGreaterThan(5);
    ReceivedSpan span = harness.otlp().awaitSpan("chat gpt-4o", WAIT);
    assertThat(span.attributes())
        .containsEntry("gen_ai.request.stream", true)
        .containsEntry("gen_ai.response.id", run.results().get("id"))
        // 400 x 2.50 + 100 x 10.00 = 1000 + 1000 micro-USD
        .containsEntry("gen_ai.usage.cost.amount", 0.002);
    assertThat(run.ledger()).hasSize(1);
  }

  @Test
  void embeddingsArePricedPerInputToken() {
    AgentRun run = harness.runOpenAi("embeddings").succeeded();
    long tokens = Long.parseLong(run.results().get("prompt_tokens"));
    assertThat(tokens).isPositive();
    ReceivedSpan span = harness.otlp().awaitSpan("embeddings text-embedding-3-small", WAIT);
    assertThat(span.attributes())
        .containsEntry("gen_ai.operation.name", "embeddings")
        .containsEntry("gen_ai.usage.input_tokens", tokens)
        .containsEntry("gen_ai.usage.output_tokens", 0L)
        .containsEntry("aicost.pricing.entry", "openai/text-embedding-3-small");
    JsonNode line = run.singleLedgerLine();
    // 0.02 USD per 1M tokens
    BigDecimal expected = new BigDecimal("0.00000002").multiply(BigDecimal.valueOf(tokens));
    assertThat(new BigDecimal(line.get("cost").get("amount").asText())).isEqualByComparingTo(expected);
  }
}
