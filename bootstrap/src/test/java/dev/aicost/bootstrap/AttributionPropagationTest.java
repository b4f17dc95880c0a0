package dev.aicost.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AttributionPropagationTest {

  @AfterEach
  void reset() {
    AttributionPropagation.configure(null, null, null, null);
  }

  private static Map<String, String> baggage(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void nothingIsTrustedByDefaultAndEveryAicostKeyIsCounted() {
    List<String> untrusted = new ArrayList<>();
    Attribution a =
        AttributionPropagation.inbound(baggage("aicost.team", "evil", "aicost.customer", "c1", "other", "x"), untrusted::add);
    assertThat(a).isSameAs(Attribution.EMPTY);
    assertThat(untrusted).containsExactly("aicost.team", "aicost.customer");
  }

  @Test
  void onlyTrustedKeysBecomeAttribution() {
    AttributionPropagation.configure(null, Arrays.asList("aicost.customer", "feature", "attr.*"), null, null);
    List<String> untrusted = new ArrayList<>();
    Attribution a =
        AttributionPropagation.inbound(
            baggage("aicost.team", "evil", "aicost.customer", "c1", "aicost.feature", "search", "aicost.attr.tenant", "t9"),
            untrusted::add);
    assertThat(a.team()).isNull();
    assertThat(a.customer()).isEqualTo("c1");
    assertThat(a.feature()).isEqualTo("search");
    assertThat(a.custom()).containsEntry("tenant", "t9");
    assertThat(untrusted).containsExactly("aicost.team");
  }

  @Test
  void trustedSourcesGateEveryKey() {
    AttributionPropagation.configure(null, Collections.singletonList("team"), Collections.singletonList("gateway"), null);
    List<String> untrusted = new ArrayList<>();
    assertThat(AttributionPropagation.inbound(baggage("aicost.team", "a", "aicost.source", "gateway"), untrusted::add).team())
        .isEqualTo("a");
    assertThat(AttributionPropagation.inbound(baggage("aicost.team", "a", "aicost.source", "rogue"), untrusted::add))
        .isSameAs(Attribution.EMPTY);
    assertThat(AttributionPropagation.inbound(baggage("aicost.team", "a"), untrusted::add)).isSameAs(Attribution.EMPTY);
    assertThat(untrusted).containsExactly("aicost.team", "aicost.team");
  }

  @Test
  void outboundAddsScopeFieldsAndStripsUntrustedInboundValues() {
    AttributionPropagation.configure(Arrays.asList("team", "feature"), Collections.singletonList("customer"), null, "svc-a");
    try (AttributionScope s =
        AttributionContext.open(Attribution.builder().team("search").customer("private").attribute("k", "v").build())) {
      Map<String, String> changes =
          AttributionPropagation.outbound(baggage("aicost.feature", "spoofed", "aicost.customer", "c1"));
      assertThat(changes)
          .containsEntry("aicost.team", "search")
          .containsEntry("aicost.feature", null)
          .containsEntry("aicost.source", "svc-a")
          .doesNotContainKey("aicost.customer")
          .doesNotContainKey("aicost.attr.k");
    }
    assertThat(AttributionPropagation.outbound(Collections.emptyMap())).isEmpty();
  }

  @Test
  void outboundLeavesMatchingBaggageAlone() {
    AttributionPropagation.configure(Collections.singletonList("team"), Collections.singletonList("team"), null, null);
    try (AttributionScope s = AttributionContext.open(Attribution.builder().team("search").build())) {
      assertThat(AttributionPropagation.outbound(baggage("aicost.team", "search"))).isEmpty();
    }
  }
}
