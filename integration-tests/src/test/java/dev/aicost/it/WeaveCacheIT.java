package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aicost.testing.ForkedJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weave cache: a second start of the same application takes the woven classes of the first instead of weaving
 * (Byte Buddy's class writer is never loaded), meters exactly as the first did, and a damaged cache is only a miss.
 */
class WeaveCacheIT extends AgentIntegrationTest {

  private static final String CHAT_SERVICE = "com.openai.services.blocking.chat.ChatCompletionServiceImpl$WithRawResponseImpl";
  private static final String POOL = "java.util.concurrent.ThreadPoolExecutor";
  /** Loaded whenever Byte Buddy writes a class, never otherwise. */
  private static final String BYTE_BUDDY_WRITER = "dev.aicost.shaded.net.bytebuddy.dynamic.scaffold.TypeWriter ";

  @TempDir Path cache;

  private AgentRun start() {
    return harness
        .run(
            ForkedJvm.defaultJava(),
            List.of("-Xlog:class+load=info:stdout"),
            AgentHarness.applicationClasspath(),
            "dev.aicost.it.app.OpenAiScenarios",
            Map.of("aicost.debug", "true", "aicost.weave-cache.dir", cache.toString()),
            "chat-sync",
            harness.openai().baseUrl())
        .succeeded();
  }

  @Test
  void theSecondStartTakesTheFirstStartsWeavesAndMetersTheSame() throws IOException {
    AgentRun first = start();
    assertThat(first.stderr())
        .contains("transformed " + CHAT_SERVICE + " in ")
        .contains("transformed " + POOL + " in ")
        .doesNotContain("(weave cache)");
    assertThat(first.stdout()).contains(BYTE_BUDDY_WRITER);
    List<Path> entries = entries();
    assertThat(entries).extracting(p -> p.getFileName().toString()).anyMatch(n -> n.startsWith(CHAT_SERVICE + "-"));
    assertThat(entries.get(0).getParent().getFileName().toString()).matches("[0-9a-f]{32}"); // the agent's build id

    harness.reset();
    AgentRun second = start();
    assertThat(second.stderr())
        .containsPattern("transformed " + java.util.regex.Pattern.quote(CHAT_SERVICE) + " in \\d+ ms \\(weave cache\\)")
        .containsPattern("transformed " + java.util.regex.Pattern.quote(POOL) + " in \\d+ ms \\(weave cache\\)")
        // the module still checks the library and injects its helpers, as without the cache
        .contains("instrumentation 'openai' applies to");
    assertThat(second.stdout()).doesNotContain(BYTE_BUDDY_WRITER);
    assertThat(meteredCalls(second)).isEqualTo(meteredCalls(first)).isNotEmpty();
  }

  @Test
  void aDamagedCacheIsAMissAndTheApplicationRunsTheSame() throws IOException {
    AgentRun first = start();
    for (Path entry : entries()) { // cut every entry in half: the checksum no longer matches
      byte[] bytes = Files.readAllBytes(entry);
      Files.write(entry, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    }
    harness.reset();
    AgentRun second = start();
    assertThat(second.stderr()).doesNotContain("(weave cache)").contains("transformed " + CHAT_SERVICE + " in ");
    assertThat(second.stdout()).contains(BYTE_BUDDY_WRITER);
    assertThat(meteredCalls(second)).isEqualTo(meteredCalls(first)).isNotEmpty();
    // ... and rewritten whole: a third start takes them again
    harness.reset();
    assertThat(start().stderr()).contains(CHAT_SERVICE + " in ").contains("(weave cache)");
  }

  /** What the ledger says was metered, without ids and times. */
  private static List<String> meteredCalls(AgentRun run) {
    return run.calls().stream()
        .map(c -> field(c, "response_model") + " in=" + field(c, "input_tokens") + " out=" + field(c, "output_tokens") + " cost=" + c.path("cost").path("amount").asText())
        .collect(Collectors.toList());
  }

  private static String field(JsonNode call, String name) {
    JsonNode v = call.findValue(name);
    return v == null ? "-" : v.asText();
  }

  private List<Path> entries() throws IOException {
    try (Stream<Path> files = Files.walk(cache)) {
      return files.filter(f -> f.toString().endsWith(".woven")).sorted().collect(Collectors.toList());
    }
  }
}
