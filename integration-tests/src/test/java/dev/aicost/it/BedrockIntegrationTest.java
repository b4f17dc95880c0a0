package dev.aicost.it;

import dev.aicost.testing.MockBedrockServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Base of the Bedrock agent tests: a mock Bedrock Runtime next to the harness's OTLP receiver. */
abstract class BedrockIntegrationTest extends AgentIntegrationTest {

  static final String SCENARIOS = "dev.aicost.it.app.BedrockScenarios";

  /** The AWS SDK version under test ({@code -Dit.bedrock.version}). */
  static final String SDK_VERSION = System.getProperty("it.bedrock.version", "unknown");

  static MockBedrockServer bedrock;

  @BeforeAll
  static void startBedrock() {
    bedrock = MockBedrockServer.start();
  }

  @AfterAll
  static void stopBedrock() {
    bedrock.close();
  }

  @BeforeEach
  void resetBedrock() {
    bedrock.reset();
  }

  static AgentRun runBedrock(String scenario, String modelId) {
    return harness.run(SCENARIOS, Map.of(), scenario, bedrock.endpoint().toString(), modelId);
  }

  /**
   * Whether the SDK under test models the response fields added in 2.31.15 (prompt caching:
   * {@code cacheReadInputTokens}, {@code cacheWriteInputTokens}); older SDKs drop them.
   */
  static boolean sdkHasCacheFields() {
    return compare(SDK_VERSION, "2.31.15") >= 0;
  }

  static int compare(String a, String b) {
    List<Integer> x = parts(a);
    List<Integer> y = parts(b);
    for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
      int c = Integer.compare(i < x.size() ? x.get(i) : 0, i < y.size() ? y.get(i) : 0);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static List<Integer> parts(String version) {
    List<Integer> p = new ArrayList<>();
    for (String s : version.split("\\.")) {
      try {
        p.add(Integer.parseInt(s));
      } catch (NumberFormatException e) {
        p.add(0);
      }
    }
    return p;
  }
}
