package dev.aicost.pricing;

import static dev.aicost.pricing.TestCatalogs.catalog;
import static dev.aicost.pricing.TestCatalogs.model;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Pricing rules exercised on purpose-built catalogs, amounts hand-computed and compared exactly. */
class PricingRulesTest {

  private static final PricingContext CTX = PricingContext.DEFAULT.withDate(LocalDate.of(2026, 1, 1));

  private static BigDecimal usd(String s) {
    return new BigDecimal(s).setScale(CostBreakdown.SCALE);
  }

  /** An Anthropic-like model: input 3, cache read 0.30, 5m write 3.75, 1h write 6, output 15; >200K tier. */
  private static final String SONNET =
      model(
          "anthropic",
          "claude-test",
          "",
          "\"input\": \"3\", \"cache_read\": \"0.30\", \"cache_write_5m\": \"3.75\", \"cache_write_1h\": \"6\","
              + " \"output\": \"15\","
              + " \"service_tiers\": {\"batch\": {\"input\": \"1.5\", \"cache_read\": \"0.15\", \"cache_write_5m\":"
              + " \"1.875\", \"cache_write_1h\": \"3\", \"output\": \"7.5\"}},"
              + " \"context_tiers\": [{\"name\": \">200k\", \"operator\": \">\", \"threshold\": 200000,"
              + " \"input\": \"6\", \"cache_read\": \"0.60\", \"cache_write_5m\": \"7.50\", \"cache_write_1h\": \"12\","
              + " \"output\": \"22.50\"}]");

  @Test
  void cacheWrites5mAnd1hArePricedApart() {
    CostCalculator calc = CostCalculator.of(catalog("[" + SONNET + "]"));
    // 10,000 input = 4,000 uncached + 2,000 cache read + 3,000 5m write + 1,000 1h write.
    // 4,000 x 3 = 0.012; 2,000 x 0.30 = 0.0006; 3,000 x 3.75 = 0.01125; 1,000 x 6 = 0.006; 1,000 x 15 = 0.015.
    Usage u =
        Usage.builder().input(10_000).cacheRead(2_000).cacheWrite5m(3_000).cacheWrite1h(1_000).output(1_000).build();
    CostBreakdown b = calc.price("anthropic", "claude-test", u, CTX);
    assertThat(b.amount(CostComponent.INPUT)).isEqualTo(usd("0.012"));
    assertThat(b.amount(CostComponent.CACHE_READ)).isEqualTo(usd("0.0006"));
    assertThat(b.amount(CostComponent.CACHE_WRITE_5M)).isEqualTo(usd("0.01125"));
    assertThat(b.amount(CostComponent.CACHE_WRITE_1H)).isEqualTo(usd("0.006"));
    assertThat(b.total()).isEqualTo(usd("0.04485"));
  }

  @Test
  void missing1hRateIsUnpricedWhen5mIsPricedElseBilledAsInput() {
    String only5m = model("anthropic", "m5", "", "\"input\": \"3\", \"cache_write_5m\": \"3.75\", \"output\": \"15\"");
    String none = model("openai", "plain", "", "\"input\": \"2\", \"output\": \"8\"");
    CostCalculator calc = CostCalculator.of(catalog("[" + only5m + "," + none + "]"));
    Usage u = Usage.builder().input(1_000).cacheWrite1h(500).build();
    // The 5-minute rate is not a stand-in for the 1-hour one.
    assertThat(calc.price("anthropic", "m5", u, CTX).unpricedReason())
        .isEqualTo(UnpricedReason.NO_PRICE_FOR_CACHE_WRITE_1H);
    // No cache-write prices at all (OpenAI style): writes are plain input, billed once: 1,000 x 2 = 0.002.
    CostBreakdown b = calc.price("openai", "plain", u, CTX);
    assertThat(b.amount(CostComponent.INPUT)).isEqualTo(usd("0.002"));
    assertThat(b.total()).isEqualTo(usd("0.002"));
  }

  @Test
  void contextTierSwitchesTheWholeRequestWithTheProvidersOperator() {
    String gte =
        model(
            "gcp.gemini",
            "gem",
            "",
            "\"input\": \"1.25\", \"cache_read\": \"0.125\", \"output\": \"10\", \"context_tiers\": [{\"name\":"
                + " \">=200k\", \"operator\": \">=\", \"threshold\": 200000, \"input\": \"2.5\", \"cache_read\":"
                + " \"0.25\", \"output\": \"15\"}]");
    CostCalculator calc = CostCalculator.of(catalog("[" + SONNET + "," + gte + "]"));
    Usage exactly200k = Usage.builder().input(200_000).cacheRead(50_000).output(1_000).build();
    // '>' 200000: exactly 200,000 stays standard: 150,000 x 3 + 50,000 x 0.3 + 1,000 x 15 = 0.45 + 0.015 + 0.015.
    CostBreakdown gt = calc.price("anthropic", "claude-test", exactly200k, CTX);
    assertThat(gt.tier()).isEqualTo("standard");
    assertThat(gt.total()).isEqualTo(usd("0.48"));
    // '>=' 200000: exactly 200,000 switches everything: 150,000 x 2.5 + 50,000 x 0.25 + 1,000 x 15.
    CostBreakdown ge = calc.price("gcp.gemini", "gem", exactly200k, CTX);
    assertThat(ge.tier()).isEqualTo("standard>=200k");
    assertThat(ge.total()).isEqualTo(usd("0.4025"));
    // Above the threshold every line moves, the cached ones too:
    // 150,001 x 6 = 0.900006; 50,000 x 0.6 = 0.03; 1,000 x 22.5 = 0.0225.
    Usage above = Usage.builder().input(200_001).cacheRead(50_000).output(1_000).build();
    CostBreakdown big = calc.price("anthropic", "claude-test", above, CTX);
    assertThat(big.tier()).isEqualTo("standard>200k");
    assertThat(big.total()).isEqualTo(usd("0.952506"));
    // The context tier offers no batch rates: a large batch request is unpriced, not priced at small-batch rates.
    assertThat(calc.price("anthropic", "claude-test", above, CTX.withServiceTier(ServiceTier.BATCH)).unpricedReason())
        .isEqualTo(UnpricedReason.NO_PRICE_FOR_TIER);
    assertThat(calc.price("anthropic", "claude-test", exactly200k, CTX.withServiceTier(ServiceTier.BATCH)).tier())
        .isEqualTo("batch");
  }

  @Test
  void severalContextTiersPickTheLargestThresholdCrossed() {
    String m =
        model(
            "x",
            "tiered",
            "",
            "\"input\": \"1\", \"output\": \"1\", \"context_tiers\": ["
                + "{\"name\": \">128k\", \"operator\": \">\", \"threshold\": 128000, \"input\": \"2\", \"output\": \"2\"},"
                + "{\"name\": \">1m\", \"operator\": \">\", \"threshold\": 1000000, \"input\": \"4\", \"output\": \"4\"}]");
    CostCalculator calc = CostCalculator.of(catalog("[" + m + "]"));
    assertThat(calc.price("x", "tiered", Usage.of(100_000, 0), CTX).tier()).isEqualTo("standard");
    assertThat(calc.price("x", "tiered", Usage.of(500_000, 0), CTX).total()).isEqualTo(usd("1"));
    assertThat(calc.price("x", "tiered", Usage.of(2_000_000, 0), CTX).total()).isEqualTo(usd("8"));
  }

  @Test
  void reasoningPricedApartWhenTheCatalogSaysSo() {
    String m = model("x", "thinker", "", "\"input\": \"1\", \"output\": \"4\", \"reasoning\": \"3\"");
    CostCalculator calc = CostCalculator.of(catalog("[" + m + "]"));
    // 1,000 output of which 600 reasoning: 400 x 4 = 0.0016 (OUTPUT) + 600 x 3 = 0.0018 (REASONING).
    CostBreakdown b = calc.price("x", "thinker", Usage.builder().output(1_000).reasoning(600).build(), CTX);
    assertThat(b.amount(CostComponent.OUTPUT)).isEqualTo(usd("0.0016"));
    assertThat(b.amount(CostComponent.REASONING)).isEqualTo(usd("0.0018"));
  }

  @Test
  void audioBilledAsTextOnlyWhenDeclared() {
    String asText =
        model("x", "omni", "", "\"input\": \"2\", \"output\": \"8\", \"billed_as_text\": [\"audio_input\", \"audio_output\"]");
    String strict = model("x", "strict", "", "\"input\": \"2\", \"output\": \"8\"");
    CostCalculator calc = CostCalculator.of(catalog("[" + asText + "," + strict + "]"));
    Usage u = Usage.builder().input(1_000).audioInput(400).output(100).audioOutput(50).build();
    // 1,000 x 2 = 0.002 and 100 x 8 = 0.0008, all in the text lines.
    CostBreakdown b = calc.price("x", "omni", u, CTX);
    assertThat(b.amount(CostComponent.INPUT)).isEqualTo(usd("0.002"));
    assertThat(b.amount(CostComponent.OUTPUT)).isEqualTo(usd("0.0008"));
    assertThat(b.amount(CostComponent.AUDIO_INPUT)).isEqualTo(usd("0"));
    assertThat(calc.price("x", "strict", u, CTX).unpricedReason()).isEqualTo(UnpricedReason.NO_PRICE_FOR_AUDIO_INPUT);
    Usage outOnly = Usage.builder().input(10).output(100).audioOutput(50).build();
    assertThat(calc.price("x", "strict", outOnly, CTX).unpricedReason())
        .isEqualTo(UnpricedReason.NO_PRICE_FOR_AUDIO_OUTPUT);
  }

  @Test
  void regionalMultiplierAndAbsoluteRegionalRates() {
    String m =
        model(
            "gcp.vertex_ai",
            "gem-r",
            "",
            "\"input\": \"1.25\", \"output\": \"10\", \"service_tiers\": {\"batch\": {\"input\": \"0.625\", \"output\":"
                + " \"5\"}}, \"regional\": [{\"regions\": [\"europe-west4\", \"us-east5\"], \"multiplier\": \"1.1\"},"
                + " {\"regions\": [\"eu\"], \"input\": \"2\", \"output\": \"12\"}]");
    CostCalculator calc = CostCalculator.of(catalog("[" + m + "]"));
    Usage u = Usage.of(1_000_000, 100_000);
    // Global: 1.25 + 1 = 2.25. +10%: 1.375 + 1.1 = 2.475. Absolute 'eu': 2 + 1.2 = 3.2.
    assertThat(calc.price("gcp.vertex_ai", "gem-r", u, CTX).total()).isEqualTo(usd("2.25"));
    CostBreakdown uplift = calc.price("gcp.vertex_ai", "gem-r", u, CTX.withRegion("us-east5"));
    assertThat(uplift.total()).isEqualTo(usd("2.475"));
    assertThat(uplift.tier()).isEqualTo("standard@us-east5");
    // The multiplier applies to every service tier: batch 0.6875 + 0.55.
    assertThat(
            calc.price("gcp.vertex_ai", "gem-r", u, CTX.withRegion("europe-west4").withServiceTier(ServiceTier.BATCH))
                .total())
        .isEqualTo(usd("1.2375"));
    assertThat(calc.price("gcp.vertex_ai", "gem-r", u, CTX.withRegion("eu")).total()).isEqualTo(usd("3.2"));
    // Absolute regional rates offer no batch tier here.
    assertThat(
            calc.price("gcp.vertex_ai", "gem-r", u, CTX.withRegion("eu").withServiceTier(ServiceTier.BATCH))
                .unpricedReason())
        .isEqualTo(UnpricedReason.NO_PRICE_FOR_TIER);
    // A region the catalog does not list is priced at the global rates.
    assertThat(calc.price("gcp.vertex_ai", "gem-r", u, CTX.withRegion("asia-south1")).total()).isEqualTo(usd("2.25"));
  }

  @Test
  void patternsAndOtherDateSuffixes() {
    String claude =
        model(
            "aws.bedrock",
            "anthropic.claude-sonnet-4",
            "\"patterns\": [\"(us|eu|apac|global)\\\\.anthropic\\\\.claude-sonnet-4(-\\\\d{8})?-v\\\\d+:\\\\d+\"]",
            "\"input\": \"3\", \"output\": \"15\"");
    String vertex = model("gcp.vertex_ai", "claude-sonnet-4", "", "\"input\": \"3\", \"output\": \"15\"");
    CostCalculator calc = CostCalculator.of(catalog("[" + claude + "," + vertex + "]"));
    ModelResolution p = calc.resolve("aws.bedrock", "us.anthropic.claude-sonnet-4-20250514-v1:0");
    assertThat(p.method()).isEqualTo(ResolutionMethod.PATTERN);
    assertThat(p.entry().id()).isEqualTo("anthropic.claude-sonnet-4");
    ModelResolution at = calc.resolve("gcp.vertex_ai", "claude-sonnet-4@20250514");
    assertThat(at.steps()).containsExactly(ResolutionMethod.DATED_SNAPSHOT, ResolutionMethod.EXACT_ID);
    ModelResolution compact = calc.resolve("gcp.vertex_ai", "claude-sonnet-4-20250514");
    assertThat(compact.steps()).containsExactly(ResolutionMethod.DATED_SNAPSHOT, ResolutionMethod.EXACT_ID);
    // Resolution is by (provider, model): the same name under another provider is not found.
    assertThat(calc.resolve("anthropic", "claude-sonnet-4").isResolved()).isFalse();
  }

  @Test
  void resolutionCacheIsBounded() {
    CostCalculator calc = CostCalculator.of(catalog("[" + SONNET + "]"));
    for (int i = 0; i < CostCalculator.MAX_CACHED_RESOLUTIONS * 2; i++) {
      assertThat(calc.price("anthropic", "unknown-" + i, Usage.of(1, 1), CTX).unpricedReason())
          .isEqualTo(UnpricedReason.UNKNOWN_MODEL);
    }
    assertThat(calc.cachedResolutions()).isEqualTo(CostCalculator.MAX_CACHED_RESOLUTIONS);
    // Known models keep resolving (uncached) once the cache is full.
    assertThat(calc.price("anthropic", "claude-test", Usage.of(100_000, 0), CTX).total()).isEqualTo(usd("0.3"));
  }

  @Test
  void overflowIsUnpricedNeverWrapped() {
    // 10,000 per 1M tokens = 10^10 pico-units a token; 10^9 tokens = 10^19 > Long.MAX_VALUE.
    String m = model("x", "pricey", "", "\"input\": \"10000\", \"output\": \"1\"");
    CostCalculator calc = CostCalculator.of(catalog("[" + m + "]"));
    CostBreakdown b = calc.price("x", "pricey", Usage.of(1_000_000_000L, 0), CTX);
    assertThat(b.isPriced()).isFalse();
    assertThat(b.unpricedReason()).isEqualTo(UnpricedReason.COST_OVERFLOW);
    assertThat(b.entryId()).isEqualTo("x/pricey");
    // Lines that fit but whose sum does not are caught too (9e18 + 9e18).
    CostBreakdown sum = calc.price("x", "pricey", Usage.of(900_000_000L, 9_000_000_000_000_000L), CTX);
    assertThat(sum.unpricedReason()).isEqualTo(UnpricedReason.COST_OVERFLOW);
    // The largest exact amount still prices: 900,000,000 x 10^10 = 9 x 10^18 pico = 9,000,000 USD.
    assertThat(calc.price("x", "pricey", Usage.of(900_000_000L, 0), CTX).total()).isEqualTo(usd("9000000"));
  }

  @Test
  void usageRejectsPartsThatOverflow() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                Usage.builder()
                    .input(Long.MAX_VALUE)
                    .cacheRead(Long.MAX_VALUE)
                    .cacheWrite5m(Long.MAX_VALUE)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must include");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Usage.of(Long.MAX_VALUE, 0).plus(Usage.of(1, 0)))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void noDateMeansTodayInUtc() {
    PricingCatalog c =
        catalog(
            "[{\"provider\": \"x\", \"id\": \"m\", \"prices\": ["
                + "{\"effective_from\": \"2025-01-01\", \"effective_to\": \"2025-06-01\", \"source\": \"t\", \"input\": \"1\"},"
                + "{\"effective_from\": \"2025-06-01\", \"source\": \"t\", \"input\": \"2\"}]}]");
    java.time.Clock may = java.time.Clock.fixed(java.time.Instant.parse("2025-05-31T23:59:59Z"), java.time.ZoneOffset.UTC);
    java.time.Clock june = java.time.Clock.fixed(java.time.Instant.parse("2025-06-01T00:00:00Z"), java.time.ZoneOffset.UTC);
    assertThat(CostCalculator.of(c, may).price("x", "m", Usage.of(1_000_000, 0), null).total()).isEqualTo(usd("1"));
    assertThat(CostCalculator.of(c, june).price("x", "m", Usage.of(1_000_000, 0), PricingContext.DEFAULT).total())
        .isEqualTo(usd("2"));
  }
}
