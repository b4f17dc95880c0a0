package dev.aicost.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageFormulaTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return MAPPER.readTree(s);
  }

  @Test
  void textTokensRoundUp() {
    assertThat(UsageFormula.textTokens("")).isZero();
    assertThat(UsageFormula.textTokens(null)).isZero();
    assertThat(UsageFormula.textTokens("a")).isEqualTo(1);
    assertThat(UsageFormula.textTokens("abcd")).isEqualTo(1);
    assertThat(UsageFormula.textTokens("abcde")).isEqualTo(2);
  }

  @Test
  void chatPromptTokensCountEverySegment() throws Exception {
    assertThat(UsageFormula.chatPromptTokens(json(
        "{\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},{\"role\":\"user\",\"content\":\"Hello!\"}]}")))
        .isEqualTo(20);
    // content parts: text parts concatenate, other parts count as JSON
    String image = "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}}";
    JsonNode parts = json("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"abcd\"},"
        + image + "]}]}");
    assertThat(UsageFormula.chatPromptTokens(parts))
        .isEqualTo(7 + UsageFormula.textTokens("abcd" + MAPPER.readTree(image).toString()));
    // tools form a leading segment
    String tools = "[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]";
    JsonNode withTools = json("{\"tools\":" + tools + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    assertThat(UsageFormula.chatPromptTokens(withTools))
        .isEqualTo(7 + UsageFormula.textTokens(MAPPER.readTree(tools).toString()) + 8);
    // assistant tool calls count as JSON
    String calls = "[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]";
    JsonNode withCalls = json("{\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":" + calls + "}]}");
    assertThat(UsageFormula.chatPromptTokens(withCalls))
        .isEqualTo(7 + UsageFormula.textTokens(MAPPER.readTree(calls).toString()));
  }

  @Test
  void responsesInputTokens() throws Exception {
    assertThat(UsageFormula.responsesInputTokens(json("{\"input\":\"Say hello.\",\"instructions\":\"You are terse.\"}")))
        .isEqualTo(21);
    JsonNode items = json("{\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"abcdefgh\"}]},"
        + "{\"type\":\"function_call_output\",\"call_id\":\"c\",\"output\":\"42\"}]}");
    String output = "{\"type\":\"function_call_output\",\"call_id\":\"c\",\"output\":\"42\"}";
    assertThat(UsageFormula.responsesInputTokens(items)).isEqualTo(9 + 7 + UsageFormula.textTokens(output));
  }

  @Test
  void embeddingInputTokens() throws Exception {
    assertThat(UsageFormula.embeddingInputTokens(json("{\"input\":\"hello world\"}"))).isEqualTo(3);
    assertThat(UsageFormula.embeddingInputTokens(json("{\"input\":[\"a\",\"abcde\"]}"))).isEqualTo(1 + 2);
    assertThat(UsageFormula.embeddingInputTokens(json("{\"input\":[1,2,3]}"))).isEqualTo(3);
    assertThat(UsageFormula.embeddingInputTokens(json("{\"input\":[[1,2],[3]]}"))).isEqualTo(3);
  }

  @Test
  void reasoningModels() {
    assertThat(List.of("o1", "o1-mini", "o3-pro", "o4-mini-2025-04-16", "gpt-5", "gpt-5-mini", "gpt-5.1"))
        .allMatch(UsageFormula::isReasoningModel);
    assertThat(List.of("gpt-4o", "gpt-4.1-mini", "gpt-5-chat-latest", "omni-moderation-latest", "gpt-3.5-turbo"))
        .noneMatch(UsageFormula::isReasoningModel);
    assertThat(UsageFormula.reasoningTokens("o3", 100)).isEqualTo(75);
    assertThat(UsageFormula.reasoningTokens("o3", 1)).isZero();
    assertThat(UsageFormula.reasoningTokens("gpt-4o", 100)).isZero();
  }

  @Test
  void cacheRounding() {
    assertThat(UsageFormula.cachedTokens(1023)).isZero();
    assertThat(UsageFormula.cachedTokens(1024)).isEqualTo(1024);
    assertThat(UsageFormula.cachedTokens(1151)).isEqualTo(1024);
    assertThat(UsageFormula.cachedTokens(1152)).isEqualTo(1152);
    assertThat(UsageFormula.cachedTokens(5000)).isEqualTo(4992);
    assertThat(UsageFormula.cacheWriteTokens(1000, 0)).isZero();
    assertThat(UsageFormula.cacheWriteTokens(1300, 0)).isEqualTo(1280);
    assertThat(UsageFormula.cacheWriteTokens(1300, 1152)).isEqualTo(128);
    assertThat(UsageFormula.cacheWriteTokens(1300, 1280)).isZero();
  }

  @Test
  void promptCacheFindsTheLongestSharedPrefix() {
    PromptCache cache = new PromptCache();
    List<String> a = new java.util.ArrayList<>();
    UsageFormula.appendSegment(a, "system", "s".repeat(4 * 1500));
    List<String> b = new java.util.ArrayList<>(a);
    UsageFormula.appendSegment(a, "user", "first");
    UsageFormula.appendSegment(b, "user", "other");

    assertThat(cache.lookupAndStore("m", a)).isZero();
    assertThat(cache.lookupAndStore("m", b)).isEqualTo(1507 + 7);
    assertThat(cache.lookupAndStore("other-model", b)).isZero();
    List<String> shortPrompt = new java.util.ArrayList<>();
    UsageFormula.appendSegment(shortPrompt, "user", "x");
    assertThat(cache.lookupAndStore("m", shortPrompt)).isZero();
    cache.clear();
    assertThat(cache.lookupAndStore("m", a)).isZero();
  }

  @Test
  void generatedTextHasExactlyFourCharsPerToken() {
    assertThat(UsageFormula.generatedText(0)).isEmpty();
    assertThat(UsageFormula.generatedText(3)).hasSize(12).isEqualTo("This is a de");
    assertThat(UsageFormula.generatedText(1000)).hasSize(4000);
    assertThat(UsageFormula.generatedText(1_000_000)).hasSize(4 * UsageFormula.MAX_GENERATED_TEXT_TOKENS);
  }

  @Test
  void tokenUsageRejectsNegativesAndSumsTotals() {
    assertThat(TokenUsage.of(10, 5).totalTokens()).isEqualTo(15);
    assertThat(TokenUsage.of(10, 5).toBuilder().cachedTokens(3).build().cachedTokens()).isEqualTo(3);
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> TokenUsage.builder().reasoningTokens(-1).build());
  }
}
