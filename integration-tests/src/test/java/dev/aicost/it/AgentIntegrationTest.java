package dev.aicost.it;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Base of the agent integration tests: one mock provider and OTLP receiver per class, reset before each test. */
abstract class AgentIntegrationTest {

  static final Duration WAIT = Duration.ofSeconds(10);
  static AgentHarness harness;

  @BeforeAll
  static void startHarness() {
    harness = AgentHarness.start();
  }

  @AfterAll
  static void stopHarness() {
    harness.close();
  }

  @BeforeEach
  void resetHarness() {
    harness.reset();
  }
}
