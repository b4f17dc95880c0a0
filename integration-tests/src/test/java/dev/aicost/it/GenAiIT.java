package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aicost.testing.GeminiReply;
import dev.aicost.testing.GeminiUsage;
import dev.aicost.testing.MockGeminiServer;
import dev.aicost.testing.ReceivedSpan;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GenAiIT extends AgentIntegrationTest {

  static MockGeminiServer gemini;

  @BeforeAll
  static void startGemini() {
    gemini = MockGeminiServer.builder().requireApiKey("AIza-test-secret-key").requireAccessToken("ya29.test-secret-token").start();
  }

  @AfterAll
  static void stopGemini() {
    gemini.close();
  }

  @BeforeEach
  void resetGemini() {
    gemini.reset();
  }

  static AgentRun run(String scenario) {
    return harness.run("dev.aicost.it.app.GenAiScenarios", Map.of(), scenario, gemini.baseUrl());
  }

  @Test
  void smoke() {
    gemini.enqueue(GeminiReply.usage(GeminiUsage.of(1200, 50).withCached(1000).withThoughts(150).withToolUsePrompt(30).withAudio(100, 40, 0)));
    AgentRun run = run("generate-sync").succeeded();
    ReceivedSpan span = harness.otlp().awaitSpan(s -> true, WAIT);
    System.out.println("SPAN " + span.name() + " " + span.attributes());
    JsonNode line = run.singleLedgerLine();
    System.out.println("LEDGER " + line);
    System.out.println("STDERR " + run.stderr());
  }
}
