package dev.aicost.javaagent.instrumentation.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.bootstrap.AiCallHandle;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Anthropic usage → aicost's normalized counts. */
class AnthropicTokensTest {

  /** Records the last value given to each handle method. */
  private static Map<String, Object> report(AnthropicTokens t) {
    Map<String, Object> seen = new LinkedHashMap<>();
    AiCallHandle[] self = new AiCallHandle[1];
    self[0] = (AiCallHandle) Proxy.newProxyInstance(
        AiCallHandle.class.getClassLoader(), new Class<?>[] {AiCallHandle.class}, (proxy, method, args) -> {
          if (method.getName().equals("usage")) {
            seen.put("input", args[0]);
            seen.put("output", args[1]);
          } else if (args != null && args.length == 1) {
            seen.put(method.getName(), args[0]);
          }
          return method.getReturnType() == AiCallHandle.class ? self[0] : null;
        });
    t.report(self[0]);
    return seen;
  }

  @Test
  void inputAddsCacheReadsAndWritesWithTheReportedSplit() {
    AnthropicTokens t = new AnthropicTokens();
    t.input = 100;
    t.cacheRead = 2000;
    t.cacheCreation = 700;
    t.split = true;
    t.write5m = 300;
    t.write1h = 400;
    t.output = 50;
    t.webSearches = 2;
    assertThat(report(t))
        .containsEntry("input", 2800L)
        .containsEntry("output", 50L)
        .containsEntry("cacheReadTokens", 2000L)
        .containsEntry("cacheWrite5mTokens", 300L)
        .containsEntry("cacheWrite1hTokens", 400L)
        .containsEntry("webSearchCalls", 2L);
  }

  @Test
  void withoutTheSplitAllWritesAreFiveMinuteWrites() {
    AnthropicTokens t = new AnthropicTokens();
    t.input = 10;
    t.cacheCreation = 1500;
    t.output = 5;
    assertThat(report(t))
        .containsEntry("input", 1510L)
        .containsEntry("cacheWrite5mTokens", 1500L)
        .containsEntry("cacheWrite1hTokens", 0L);
  }

  @Test
  void aSplitThatDoesNotAddUpKeepsTheTotalAndGivesTheRestToFiveMinutes() {
    AnthropicTokens t = new AnthropicTokens();
    t.cacheCreation = 1000; // e.g. message_delta reported a newer total than message_start's split
    t.split = true;
    t.write5m = 200;
    t.write1h = 300;
    assertThat(report(t))
        .containsEntry("input", 1000L)
        .containsEntry("cacheWrite5mTokens", 700L)
        .containsEntry("cacheWrite1hTokens", 300L);

    AnthropicTokens over = new AnthropicTokens();
    over.cacheCreation = 100;
    over.split = true;
    over.write5m = 200;
    over.write1h = 300;
    assertThat(report(over)).containsEntry("input", 500L).containsEntry("cacheWrite5mTokens", 200L);
  }
}
