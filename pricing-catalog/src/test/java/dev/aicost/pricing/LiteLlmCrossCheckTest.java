package dev.aicost.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks every bundled OpenAI price against the LiteLLM price map (the 2026-07-24 mirror, vendored under
 * {@code src/test/resources/reference}). Every disagreement must be explained in {@code litellm-deviations.tsv} (and
 * in the catalog's {@code note}); an explanation that no longer matches a disagreement fails too, so the list stays
 * true. It prints a summary and every unexplained disagreement; with {@code -Daicost.crosscheck.verbose=true} it
 * prints every disagreement with its explanation (the report script:
 * {@code mvn -pl pricing-catalog test -Dtest=LiteLlmCrossCheckTest -Daicost.crosscheck.verbose=true}).
 */
class LiteLlmCrossCheckTest {

  private static final LocalDate SNAPSHOT = LocalDate.of(2026, 7, 24);
  private static final Map<String, CostComponent> FIELDS = new LinkedHashMap<>();
  private static final Map<String, String> SUFFIXES = new LinkedHashMap<>();

  static {
    FIELDS.put("input_cost_per_token", CostComponent.INPUT);
    FIELDS.put("cache_read_input_token_cost", CostComponent.CACHE_READ);
    FIELDS.put("cache_creation_input_token_cost", CostComponent.CACHE_WRITE_5M);
    FIELDS.put("output_cost_per_token", CostComponent.OUTPUT);
    FIELDS.put("output_cost_per_reasoning_token", CostComponent.REASONING);
    FIELDS.put("input_cost_per_audio_token", CostComponent.AUDIO_INPUT);
    FIELDS.put("output_cost_per_audio_token", CostComponent.AUDIO_OUTPUT);
    // Longest first so that "_above_272k_tokens" is not mistaken for another suffix.
    SUFFIXES.put("_above_272k_tokens", ">272k");
    SUFFIXES.put("_batches", "batch");
    SUFFIXES.put("_priority", "priority");
    SUFFIXES.put("_flex", "flex");
    SUFFIXES.put("", "standard");
  }

  @Test
  void everyBundledOpenAiPriceAgreesWithLiteLlmOrTheDisagreementIsExplained() throws IOException {
    JsonNode ll = new ObjectMapper().readTree(resource("reference/litellm-openai-2026-07-24.json"));
    CostCalculator calc = CostCalculator.bundled();
    Map<String, String> disagreements = new TreeMap<>();
    int compared = 0;
    int agreed = 0;
    List<String> notModelled = new ArrayList<>();
    for (Map.Entry<String, JsonNode> m : ll.properties()) {
      String key = m.getKey();
      if (key.startsWith("_")) {
        continue;
      }
      boolean fineTune = key.startsWith("ft:");
      String name = fineTune ? key.substring(3) : key;
      ModelResolution r = calc.resolve("openai", name);
      if (!r.isResolved()
          || !(r.method() == ResolutionMethod.EXACT_ID || r.method() == ResolutionMethod.ALIAS)) {
        continue; // not bundled under this name
      }
      PriceSet set = r.entry().priceSetOn(SNAPSHOT);
      assertThat(set).as("price set of %s on %s", r.entry().entryId(), SNAPSHOT).isNotNull();
      RateCard card = fineTune ? set.fineTune() : set.rates();
      for (Map.Entry<String, JsonNode> f : m.getValue().properties()) {
        if (!f.getValue().isNumber() || f.getValue().doubleValue() == 0) {
          continue; // a zero in LiteLLM means "not charged" (embeddings output), which aicost leaves unpriced
        }
        String field = f.getKey();
        CostComponent component = null;
        String tier = null;
        for (Map.Entry<String, String> s : SUFFIXES.entrySet()) {
          if (field.endsWith(s.getKey())) {
            component = FIELDS.get(field.substring(0, field.length() - s.getKey().length()));
            if (component != null) {
              tier = s.getValue();
              break;
            }
          }
        }
        if (component == null) {
          notModelled.add(key + '.' + field);
          continue;
        }
        compared++;
        BigDecimal theirs = new BigDecimal(Double.toString(f.getValue().doubleValue())).movePointRight(6)
            .stripTrailingZeros();
        BigDecimal ours = ours(card, tier, component);
        String id = key + '\t' + field;
        if (ours == null) {
          disagreements.put(id, "LiteLLM " + theirs.toPlainString() + ", aicost: not priced");
        } else if (ours.compareTo(theirs) != 0) {
          disagreements.put(id, "LiteLLM " + theirs.toPlainString() + ", aicost " + ours.toPlainString());
        } else {
          agreed++;
        }
      }
    }

    Map<String, String> explained = explanations();
    List<String> unexplained = new ArrayList<>();
    List<String> stale = new ArrayList<>();
    StringBuilder report = new StringBuilder();
    report.append("LiteLLM cross-check: ").append(compared).append(" prices compared, ").append(agreed)
        .append(" agree, ").append(disagreements.size()).append(" differ; ").append(notModelled.size())
        .append(" LiteLLM fields have no aicost dimension\n");
    boolean verbose = Boolean.getBoolean("aicost.crosscheck.verbose");
    for (Map.Entry<String, String> d : disagreements.entrySet()) {
      String reason = explained.get(d.getKey());
      if (reason == null || verbose) {
        report.append(reason == null ? "  UNEXPLAINED " : "  explained   ").append(d.getKey().replace('\t', ' '))
            .append(": ").append(d.getValue()).append(reason == null ? "" : " -- " + reason).append('\n');
      }
      if (reason == null) {
        unexplained.add(d.getKey().replace('\t', ' ') + ": " + d.getValue());
      }
    }
    for (String e : explained.keySet()) {
      if (!disagreements.containsKey(e)) {
        stale.add(e.replace('\t', ' '));
      }
    }
    System.out.print(report);
    assertThat(compared).as("prices compared").isGreaterThan(300);
    assertThat(unexplained).as("disagreements with LiteLLM not explained in litellm-deviations.tsv").isEmpty();
    assertThat(stale).as("explanations in litellm-deviations.tsv that no longer match a disagreement").isEmpty();
  }

  private static BigDecimal ours(RateCard card, String tier, CostComponent component) {
    if (card == null) {
      return null;
    }
    Rates rates;
    if (tier.startsWith(">")) {
      rates = null;
      for (ContextTier ct : card.contextTiers()) {
        if (ct.name().equals(tier)) {
          rates = ct.rates().standard();
        }
      }
    } else {
      rates = card.rates(ServiceTier.parse(tier));
    }
    return rates == null ? null : rates.price(component);
  }

  private static Map<String, String> explanations() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                LiteLlmCrossCheckTest.class.getClassLoader().getResourceAsStream("reference/litellm-deviations.tsv"),
                StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\t", 3);
        assertThat(parts).as("line '%s' of litellm-deviations.tsv: model<TAB>field<TAB>reason", line).hasSize(3);
        assertThat(out.put(parts[0] + '\t' + parts[1], parts[2])).as("duplicate line %s", line).isNull();
      }
    }
    return out;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = LiteLlmCrossCheckTest.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
