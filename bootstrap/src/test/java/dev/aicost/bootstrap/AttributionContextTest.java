package dev.aicost.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributionContextTest {

  @Test
  void nestedScopesOverrideFieldByFieldAndRestoreOnClose() {
    assertThat(AttributionContext.current()).isSameAs(Attribution.EMPTY);
    try (AttributionScope outer =
        AttributionContext.open(Attribution.builder().team("search").feature("autocomplete").build())) {
      try (AttributionScope inner =
          AttributionContext.open(Attribution.builder().feature("ranking").customer("acme").build())) {
        Attribution a = AttributionContext.current();
        assertThat(a.team()).isEqualTo("search");
        assertThat(a.feature()).isEqualTo("ranking");
        assertThat(a.customer()).isEqualTo("acme");
      }
      assertThat(AttributionContext.current().feature()).isEqualTo("autocomplete");
      assertThat(AttributionContext.current().customer()).isNull();
    }
    assertThat(AttributionContext.current()).isSameAs(Attribution.EMPTY);
  }

  @Test
  void outOfOrderCloseDoesNotClobberNewerScope() {
    AttributionScope outer = AttributionContext.open(Attribution.builder().team("a").build());
    AttributionScope inner = AttributionContext.open(Attribution.builder().team("b").build());
    outer.close();
    assertThat(AttributionContext.current().team()).isEqualTo("b");
    inner.close();
    assertThat(AttributionContext.current().team()).isEqualTo("a");
    outer.close(); // second close is a no-op
    assertThat(AttributionContext.current().team()).isEqualTo("a");
    AttributionContext.restore(Attribution.EMPTY).close();
    AttributionContext.restore(null);
    assertThat(AttributionContext.current()).isSameAs(Attribution.EMPTY);
  }

  @Test
  void restoreReplacesWholeAttribution() {
    try (AttributionScope s = AttributionContext.open(Attribution.builder().team("old").customer("x").build())) {
      try (AttributionScope r = AttributionContext.restore(Attribution.builder().team("new").build())) {
        assertThat(AttributionContext.current().team()).isEqualTo("new");
        assertThat(AttributionContext.current().customer()).isNull();
      }
      assertThat(AttributionContext.current().customer()).isEqualTo("x");
    }
  }

  @Test
  void specRoundTripsFieldsAndCustomKeys() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("team", "search");
    values.put("feature", "auto=complete");
    values.put("agent", "  ");
    values.put("tenant", "acme");
    String spec = AttributionSpec.encode(values);
    Attribution a = AttributionSpec.decode(spec);
    assertThat(a.team()).isEqualTo("search");
    assertThat(a.feature()).isEqualTo("auto=complete");
    assertThat(a.agent()).isNull();
    assertThat(a.custom()).containsExactly(Map.entry("tenant", "acme"));
    try (AttributionScope s = AttributionContext.openSpec(spec)) {
      assertThat(AttributionContext.current()).isEqualTo(a);
    }
    assertThat(AttributionSpec.decode("")).isSameAs(Attribution.EMPTY);
  }

  @Test
  void blankValuesAreUnset() {
    assertThat(Attribution.builder().team(" ").feature("").build()).isSameAs(Attribution.EMPTY);
    assertThat(Attribution.builder().team(" x ").build().team()).isEqualTo("x");
  }

  @Test
  void bridgeWithoutSinkReturnsNoopHandle() {
    assertThat(AiCallBridge.isInstalled()).isFalse();
    AiCallHandle h = AiCallBridge.start(AiCallStart.of("openai", "chat").requestModel("gpt-4o"));
    assertThat(h).isSameAs(AiCallHandle.NOOP);
    h.usage(1, 2).end();
  }
}
