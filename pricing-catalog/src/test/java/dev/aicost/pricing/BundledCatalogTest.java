package dev.aicost.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Invariants of the bundled data: provenance on every price, coverage, and sanity of tier ratios. */
class BundledCatalogTest {

  private static final LocalDate TODAY = LocalDate.of(2026, 11, 28);
  private static final PricingCatalog BUNDLED = PricingCatalog.bundled();

  /** The provider's own published price pages: the only sources a bundled price may cite. */
  private static final Map<String, List<String>> SOURCES =
      Map.ofEntries(
          Map.entry("openai", List.of("https://openai.com/api/pricing/", "https://platform.openai.com/docs/pricing")),
          Map.entry("azure.ai.openai",
              List.of("https://azure.microsoft.com/en-us/pricing/details/cognitive-services/openai-service/")),
          Map.entry("anthropic", List.of("https://www.anthropic.com/pricing#api")),
          Map.entry("gcp.gemini", List.of("https://ai.google.dev/gemini-api/docs/pricing")),
          Map.entry("gcp.vertex_ai",
              List.of(
                  "https://cloud.google.com/vertex-ai/generative-ai/pricing",
                  "https://cloud.google.com/vertex-ai/generative-ai/pricing#claude-models")),
          Map.entry("aws.bedrock", List.of("https://aws.amazon.com/bedrock/pricing/")),
          Map.entry("mistral_ai", List.of("https://mistral.ai/pricing#api-pricing")),
          Map.entry("deepseek", List.of("https://api-docs.deepseek.com/quick_start/pricing")),
          Map.entry("x_ai", List.of("https://docs.x.ai/docs/models")),
          Map.entry("groq", List.of("https://groq.com/pricing")),
          Map.entry("together_ai", List.of("https://www.together.ai/pricing")),
          Map.entry("fireworks_ai", List.of("https://fireworks.ai/pricing")));

  @Test
  void loadsOnceWithOneVersion() {
    assertThat(PricingCatalog.bundled()).isSameAs(BUNDLED);
    assertThat(CostCalculator.bundled()).isSameAs(CostCalculator.bundled());
    assertThat(BUNDLED.catalogVersion()).isEqualTo("2026.11.28");
    assertThat(CostCalculator.bundled().catalogVersion()).isEqualTo("2026.11.28");
    assertThat(BUNDLED.schemaVersion()).isEqualTo(PricingCatalog.SCHEMA_VERSION);
    assertThat(BUNDLED.providers())
        .containsExactlyInAnyOrderElementsOf(SOURCES.keySet());
    assertThat(BUNDLED.discounts()).isEmpty();
  }

  @Test
  void everyPriceSetHasProvenance() {
    for (ModelEntry m : BUNDLED.models()) {
      for (PriceSet p : m.prices()) {
        String what = m.entryId() + " from " + p.effectiveFrom();
        assertThat(p.source()).as(what).isIn(SOURCES.get(m.provider()));
        assertThat(p.verifiedOn()).as(what).isEqualTo(TODAY);
        assertThat(p.verifiedAgainst()).as(what).isNotBlank();
        assertThat(p.currency()).as(what).isEqualTo("USD");
        assertThat(p.effectiveFrom()).as(what).isBeforeOrEqualTo(TODAY);
      }
    }
  }

  @Test
  void coversTheRequiredOpenAiFamiliesAndPricesThemToday() {
    String[] required = {
      "gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-5-chat-latest", "gpt-5.1", "gpt-5.2", "gpt-5.4", "gpt-5.5",
      "gpt-5.6", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini", "gpt-4o-2024-08-06",
      "gpt-4o-audio-preview", "gpt-4o-realtime-preview", "o1", "o1-mini", "o1-pro", "o3", "o3-mini", "o3-pro",
      "o4-mini", "text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002"
    };
    for (String id : required) {
      ModelEntry m = BUNDLED.model("openai", id);
      assertThat(m).as(id).isNotNull();
      assertThat(m.priceSetOn(TODAY)).as("%s priced on %s", id, TODAY).isNotNull();
    }
    for (ModelEntry m : BUNDLED.models()) {
      PriceSet now = m.priceSetOn(TODAY);
      assertThat(now).as("%s has a price in force today", m.entryId()).isNotNull();
      if (!m.mode().equals("embeddings")) {
        assertThat(now.rates().standard().has(CostComponent.OUTPUT)).as(m.entryId() + " output").isTrue();
      }
    }
    assertThat(BUNDLED.models()).hasSizeGreaterThanOrEqualTo(60);
  }

  /** Catches typos: discounted tiers never cost more than standard, cache reads never more than input, etc. */
  @Test
  void tierRatiosAreSane() {
    List<String> problems = new ArrayList<>();
    for (ModelEntry m : BUNDLED.models()) {
      for (PriceSet p : m.prices()) {
        List<RateCard> cards = new ArrayList<>();
        cards.add(p.rates());
        if (p.fineTune() != null) {
          cards.add(p.fineTune());
          check(problems, m + " fine-tune vs base", p.rates().standard(), p.fineTune().standard(), true);
        }
        for (RateCard card : cards) {
          for (ServiceTier t : card.serviceTiers()) {
            Rates r = card.rates(t);
            cacheNotDearerThanInput(problems, m.entryId() + ' ' + t.id(), r);
            if (t == ServiceTier.BATCH || t == ServiceTier.FLEX) {
              check(problems, m.entryId() + ' ' + t.id(), r, card.standard(), true);
            } else if (t == ServiceTier.PRIORITY) {
              check(problems, m.entryId() + " priority", card.standard(), r, true);
            }
          }
          for (ContextTier ct : card.contextTiers()) {
            for (ServiceTier t : ct.rates().serviceTiers()) {
              Rates small = card.rates(t);
              if (small != null) {
                check(problems, m.entryId() + ' ' + t.id() + ct.name(), small, ct.rates().rates(t), true);
              }
              cacheNotDearerThanInput(problems, m.entryId() + ' ' + t.id() + ct.name(), ct.rates().rates(t));
            }
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  private static void cacheNotDearerThanInput(List<String> problems, String what, Rates r) {
    BigDecimal cr = r.price(CostComponent.CACHE_READ);
    if (cr != null && cr.compareTo(r.price(CostComponent.INPUT)) > 0) {
      problems.add(what + ": cache_read " + cr + " > input " + r.price(CostComponent.INPUT));
    }
  }

  /** Every dimension priced in both: {@code low <= high}. */
  private static void check(List<String> problems, String what, Rates low, Rates high, boolean strictDims) {
    for (Map.Entry<CostComponent, BigDecimal> e : low.asMap().entrySet()) {
      BigDecimal h = high.price(e.getKey());
      if (h != null && e.getValue().compareTo(h) > 0) {
        problems.add(what + ": " + e.getKey().id() + ' ' + e.getValue() + " > " + h);
      }
    }
  }
}
