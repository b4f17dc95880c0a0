package dev.aicost.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AiCostScopeTest {

  @Test
  void scopesNestAndRestore() {
    try (AiCostScope outer = AiCost.attribute().team("search").feature("autocomplete").experiment("exp-1").open()) {
      try (AiCostScope inner = AiCost.attribute().feature("ranking").agent("planner").task("answer").open()) {
        assertThat(AiCost.currentAttribution().team()).isEqualTo("search");
        assertThat(AiCost.currentAttribution().feature()).isEqualTo("ranking");
        assertThat(AiCost.currentAttribution().agent()).isEqualTo("planner");
        assertThat(AiCost.currentAttribution().experiment()).isEqualTo("exp-1");
        assertThat(inner.attribution().task()).isEqualTo("answer");
      }
      assertThat(AiCost.currentAttribution().feature()).isEqualTo("autocomplete");
      assertThat(AiCost.currentAttribution().agent()).isNull();
    }
    assertThat(AiCost.currentAttribution().isEmpty()).isTrue();
  }

  @Test
  void settingsReadPropertiesEnvironmentAndNameBadValues() {
    AiCostSettings s = AiCostSettings.of(java.util.Map.of("aicost.a", "true", "aicost.n", "12", "aicost.bad", "x"));
    assertThat(s.getBoolean("aicost.a", false)).isTrue();
    assertThat(s.getInt("aicost.n", 0, 0, 100)).isEqualTo(12);
    assertThat(s.getString("aicost.missing", "d")).isEqualTo("d");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.getBoolean("aicost.bad", false))
        .hasMessage("invalid setting aicost.bad (env AICOST_BAD) = 'x': expected true or false");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.getInt("aicost.n", 0, 0, 10))
        .hasMessageContaining("aicost.n")
        .hasMessageContaining("a whole number from 0 to 10");
    assertThat(s.withOverrides(java.util.Map.of("aicost.n", "3")).getInt("aicost.n", 0, 0, 10)).isEqualTo(3);
    assertThat(AiCostSettings.environmentName("aicost.ledger.queue-capacity")).isEqualTo("AICOST_LEDGER_QUEUE_CAPACITY");
  }
}
