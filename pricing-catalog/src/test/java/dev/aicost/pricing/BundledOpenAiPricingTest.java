package dev.aicost.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed prices against the bundled OpenAI catalog. Each case names the published prices it uses (USD per 1M
 * tokens) and the arithmetic; amounts are compared exactly.
 */
class BundledOpenAiPricingTest {

  private static final CostCalculator CALC = CostCalculator.bundled();
  private static final LocalDate DAY = LocalDate.of(2026, 11, 28);
  private static final PricingContext STANDARD = PricingContext.DEFAULT.withDate(DAY);

  private static BigDecimal usd(String s) {
    return new BigDecimal(s).setScale(CostBreakdown.SCALE);
  }

  private static CostBreakdown price(String model, Usage u, PricingContext ctx) {
    return CALC.price("openai", model, u, ctx);
  }

  @Test
  void plainInputAndOutput() {
    // gpt-4o: input 2.50, output 10.00. 12,000 x 2.50/1M = 0.03; 800 x 10/1M = 0.008.
    CostBreakdown b = price("gpt-4o", Usage.of(12_000, 800), STANDARD);
    assertThat(b.isPriced()).isTrue();
    assertThat(b.amount(CostComponent.INPUT)).isEqualTo(usd("0.03"));
    assertThat(b.amount(CostComponent.OUTPUT)).isEqualTo(usd("0.008"));
    assertThat(b.total()).isEqualTo(usd("0.038"));
    assertThat(b.currency()).isEqualTo("USD");
    assertThat(b.entryId()).isEqualTo("openai/gpt-4o");
    assertThat(b.tier()).isEqualTo("standard");
    assertThat(b.catalogVersion()).isEqualTo("2026.11.28");
  }

  @Test
  void cachedInputIsNeverBilledTwice() {
    // gpt-4o: input 2.50, cached input 1.25, output 10. 1,000 of the 12,000 input tokens are cache reads:
    // 11,000 x 2.50 = 0.0275; 1,000 x 1.25 = 0.00125; 800 x 10 = 0.008; total 0.03675.
    Usage u = Usage.builder().input(12_000).cacheRead(1_000).output(800).build();
    CostBreakdown b = price("gpt-4o", u, STANDARD);
    assertThat(b.amount(CostComponent.INPUT)).isEqualTo(usd("0.0275"));
    assertThat(b.amount(CostComponent.CACHE_READ)).isEqualTo(usd("0.00125"));
    assertThat(b.total()).isEqualTo(usd("0.03675"));
    // The same request without the cache hit costs exactly 1,000 x (2.50 - 1.25)/1M = 0.00125 more.
    assertThat(price("gpt-4o", Usage.of(12_000, 800), STANDARD).total().subtract(b.total()))
        .isEqualTo(usd("0.00125"));
  }

  @Test
  void cacheReadsOfAModelWithoutCachePriceAreBilledOnceAtTheInputRate() {
    // chatgpt-4o-latest has no cached-input price: input 5, output 15. 12,000 x 5 = 0.06, all in the INPUT line.
    Usage u = Usage.builder().input(12_000).cacheRead(1_000).output(800).build();
    CostBreakdown b = price("chatgpt-4o-latest", u, STANDARD);
    assertThat(b.amount(CostComponent.INPUT)).isEqualTo(usd("0.06"));
    assertThat(b.amount(CostComponent.CACHE_READ)).isEqualTo(usd("0"));
    assertThat(b.total()).isEqualTo(usd("0.072")); // + 800 x 15 = 0.012
  }

  @Test
  void reasoningTokensOfOSeriesAreBilledAsOutput() {
    // o3 (since 2025-06-10): input 2, output 8; reasoning is part of output and has no price of its own.
    // 2,000 x 2 = 0.004; (1,000 visible + 4,000 reasoning) x 8 = 0.04.
    Usage u = Usage.builder().input(2_000).output(5_000).reasoning(4_000).build();
    CostBreakdown b = price("o3", u, STANDARD);
    assertThat(b.amount(CostComponent.OUTPUT)).isEqualTo(usd("0.04"));
    assertThat(b.amount(CostComponent.REASONING)).isEqualTo(usd("0"));
    assertThat(b.total()).isEqualTo(usd("0.044"));
  }

  @Test
  void batchIsHalfPrice() {
    // gpt-4.1: standard 2/8, batch 1/4. 10,000 x 1 = 0.01; 1,000 x 4 = 0.004.
    Usage u = Usage.of(10_000, 1_000);
    CostBreakdown batch = price("gpt-4.1", u, STANDARD.withServiceTier(ServiceTier.BATCH));
    assertThat(batch.total()).isEqualTo(usd("0.014"));
    assertThat(batch.tier()).isEqualTo("batch");
    assertThat(price("gpt-4.1", u, STANDARD).total()).isEqualTo(usd("0.028"));
  }

  @Test
  void batchWithoutCachedBatchPriceBillsCacheReadsAtTheBatchInputRate() {
    // gpt-4o batch: input 1.25, output 5, no cached-input price. 12,000 x 1.25 = 0.015; 800 x 5 = 0.004.
    Usage u = Usage.builder().input(12_000).cacheRead(1_000).output(800).build();
    CostBreakdown b = price("gpt-4o", u, STANDARD.withServiceTier(ServiceTier.BATCH));
    assertThat(b.amount(CostComponent.INPUT)).isEqualTo(usd("0.015"));
    assertThat(b.total()).isEqualTo(usd("0.019"));
  }

  @Test
  void flex() {
    // o3 flex: input 1, cached 0.25, output 4. 8,000 x 1 = 0.008; 2,000 x 0.25 = 0.0005; 1,000 x 4 = 0.004.
    Usage u = Usage.builder().input(10_000).cacheRead(2_000).output(1_000).build();
    CostBreakdown b = price("o3", u, STANDARD.withServiceTier(ServiceTier.FLEX));
    assertThat(b.total()).isEqualTo(usd("0.0125"));
    assertThat(b.tier()).isEqualTo("flex");
  }

  @Test
  void priority() {
    // gpt-4o priority: input 4.25, cached 2.125, output 17.
    // 11,000 x 4.25 = 0.04675; 1,000 x 2.125 = 0.002125; 800 x 17 = 0.0136; total 0.062475.
    Usage u = Usage.builder().input(12_000).cacheRead(1_000).output(800).build();
    CostBreakdown b = price("gpt-4o", u, STANDARD.withServiceTier(ServiceTier.PRIORITY));
    assertThat(b.total()).isEqualTo(usd("0.062475"));
    assertThat(b.tier()).isEqualTo("priority");
  }

  @Test
  void tierNotOfferedIsUnpricedNotPricedAtStandard() {
    // gpt-4o has no flex tier; gpt-5.5 priority is deliberately unpriced (sources disagree).
    CostBreakdown b = price("gpt-4o", Usage.of(100, 10), STANDARD.withServiceTier(ServiceTier.FLEX));
    assertThat(b.isPriced()).isFalse();
    assertThat(b.unpricedReason()).isEqualTo(UnpricedReason.NO_PRICE_FOR_TIER);
    assertThat(b.entryId()).isEqualTo("openai/gpt-4o");
    assertThat(price("gpt-5.5", Usage.of(100, 10), STANDARD.withServiceTier(ServiceTier.PRIORITY)).unpricedReason())
        .isEqualTo(UnpricedReason.NO_PRICE_FOR_TIER);
  }

  @Test
  void datedSnapshotAliasAndStrippedDate() {
    // gpt-4o-mini-2024-07-18 is an alias of gpt-4o-mini (0.15 / 0.60): 10,000 x 0.15 = 0.0015; 1,000 x 0.6 = 0.0006.
    CostBreakdown alias = price("gpt-4o-mini-2024-07-18", Usage.of(10_000, 1_000), STANDARD);
    assertThat(alias.entryId()).isEqualTo("openai/gpt-4o-mini");
    assertThat(alias.total()).isEqualTo(usd("0.0021"));
    assertThat(CALC.resolve("openai", "gpt-4o-mini-2024-07-18").method()).isEqualTo(ResolutionMethod.ALIAS);

    // A snapshot the catalog does not list resolves to its base by stripping the date.
    ModelResolution r = CALC.resolve("openai", "gpt-5.4-mini-2026-09-30");
    assertThat(r.entry().entryId()).isEqualTo("openai/gpt-5.4-mini");
    assertThat(r.steps()).containsExactly(ResolutionMethod.DATED_SNAPSHOT, ResolutionMethod.EXACT_ID);

    // A dated snapshot with its own entry is not stripped: gpt-4o-2024-05-13 keeps 5/15.
    CostBreakdown own = price("gpt-4o-2024-05-13", Usage.of(1_000, 1_000), STANDARD);
    assertThat(own.entryId()).isEqualTo("openai/gpt-4o-2024-05-13");
    assertThat(own.total()).isEqualTo(usd("0.02")); // 1,000 x 5 + 1,000 x 15
  }

  @Test
  void providerPrefixIsStripped() {
    ModelResolution r = CALC.resolve("openai", "openai/gpt-4o-2024-08-06");
    assertThat(r.entry().entryId()).isEqualTo("openai/gpt-4o-2024-08-06");
    assertThat(r.steps()).containsExactly(ResolutionMethod.PROVIDER_PREFIX, ResolutionMethod.EXACT_ID);
    assertThat(price("openai/gpt-4o", Usage.of(12_000, 800), STANDARD).total()).isEqualTo(usd("0.038"));
    // Matching ignores case.
    assertThat(CALC.resolve("OpenAI", "GPT-4o").entry().entryId()).isEqualTo("openai/gpt-4o");
  }

  @Test
  void fineTunedModelIsPricedAtTheBaseModelsFineTuneRates() {
    // ft:gpt-4o-mini-2024-07-18 inference: input 0.30, cached 0.15, output 1.20.
    // 11,000 x 0.30 = 0.0033; 1,000 x 0.15 = 0.00015; 800 x 1.20 = 0.00096; total 0.00441.
    Usage u = Usage.builder().input(12_000).cacheRead(1_000).output(800).build();
    CostBreakdown b = price("ft:gpt-4o-mini-2024-07-18:org::abc", u, STANDARD);
    assertThat(b.total()).isEqualTo(usd("0.00441"));
    assertThat(b.entryId()).isEqualTo("openai/gpt-4o-mini");
    assertThat(b.tier()).isEqualTo("ft:standard");
    ModelResolution r = CALC.resolve("openai", "ft:gpt-4o-mini-2024-07-18:org::abc");
    assertThat(r.isFineTuned()).isTrue();
    assertThat(r.steps()).containsExactly(ResolutionMethod.FINE_TUNE, ResolutionMethod.ALIAS);

    // Fine-tuned batch: 0.15 / 0.60, cache reads at the batch input rate: 12,000 x 0.15 + 800 x 0.6 = 0.00228.
    CostBreakdown batch = price("ft:gpt-4o-mini-2024-07-18:org::abc", u, STANDARD.withServiceTier(ServiceTier.BATCH));
    assertThat(batch.total()).isEqualTo(usd("0.00228"));
    assertThat(batch.tier()).isEqualTo("ft:batch");
  }

  @Test
  void fineTuneOfAModelWithoutFineTuneRatesIsUnpriced() {
    CostBreakdown b = price("ft:gpt-5:acme:x:123", Usage.of(10, 10), STANDARD);
    assertThat(b.unpricedReason()).isEqualTo(UnpricedReason.NO_FINE_TUNE_PRICE);
    assertThat(b.entryId()).isEqualTo("openai/gpt-5");
    // Unknown base: unknown model, never priced through a pattern or as the base.
    assertThat(price("ft:davinci-002:acme::1", Usage.of(10, 10), STANDARD).unpricedReason())
        .isEqualTo(UnpricedReason.UNKNOWN_MODEL);
  }

  @Test
  void unknownModelIsUnpricedWithSuggestions() {
    CostBreakdown b = price("gpt-4q", Usage.of(1_000, 100), STANDARD);
    assertThat(b.isPriced()).isFalse();
    assertThat(b.unpricedReason()).isEqualTo(UnpricedReason.UNKNOWN_MODEL);
    assertThat(b.entryId()).isNull();
    assertThat(b.totalPicos()).isZero();
    assertThat(b.currency()).isNull();
    List<String> close = CALC.closestIds("openai", "gpt-4q", 3);
    assertThat(close).hasSize(3).contains("gpt-4o");
    assertThat(CALC.closestIds("openai", "gpt-4o-mnii", 1)).containsExactly("gpt-4o-mini");
    // Unknown provider: unpriced too, suggestions drawn from every provider.
    assertThat(CALC.price("acme", "gpt-4o", Usage.of(1, 1), STANDARD).unpricedReason())
        .isEqualTo(UnpricedReason.UNKNOWN_MODEL);
    assertThat(CALC.closestIds("acme", "gpt-4o", 1)).containsExactly("gpt-4o");
  }

  @Test
  void missingUsageIsUnpriced() {
    CostBreakdown known = price("gpt-4o", null, STANDARD);
    assertThat(known.unpricedReason()).isEqualTo(UnpricedReason.USAGE_UNAVAILABLE);
    assertThat(known.entryId()).isEqualTo("openai/gpt-4o");
    assertThat(known.catalogVersion()).isEqualTo("2026.11.28");
    CostBreakdown unknown = price("nope", null, STANDARD);
    assertThat(unknown.unpricedReason()).isEqualTo(UnpricedReason.USAGE_UNAVAILABLE);
    assertThat(unknown.entryId()).isNull();
  }

  @Test
  void callsArePricedAtThePriceInForceOnTheirDate() {
    // gpt-4o: 5/15 until 2024-10-01 inclusive, 2.50/10 from 2024-10-02.
    Usage u = Usage.of(1_000_000, 100_000);
    assertThat(price("gpt-4o", u, PricingContext.DEFAULT.withDate(LocalDate.of(2024, 10, 1))).total())
        .isEqualTo(usd("6.5")); // 5 + 1.5
    assertThat(price("gpt-4o", u, PricingContext.DEFAULT.withDate(LocalDate.of(2024, 10, 2))).total())
        .isEqualTo(usd("3.5")); // 2.5 + 1
    // o3: 10/40 at launch, 2/8 from 2025-06-10.
    assertThat(price("o3", u, PricingContext.DEFAULT.withDate(LocalDate.of(2025, 6, 9))).total())
        .isEqualTo(usd("14")); // 10 + 4
    assertThat(price("o3", u, PricingContext.DEFAULT.withDate(LocalDate.of(2025, 6, 10))).total())
        .isEqualTo(usd("2.8")); // 2 + 0.8
    // Before the first price set: unpriced, not priced at some other date's price.
    CostBreakdown early = price("gpt-4o", u, PricingContext.DEFAULT.withDate(LocalDate.of(2024, 5, 12)));
    assertThat(early.unpricedReason()).isEqualTo(UnpricedReason.NO_PRICE_FOR_DATE);
    assertThat(early.entryId()).isEqualTo("openai/gpt-4o");
  }

  @Test
  void contextTierSwitchesTheWholeRequestAbove272k() {
    // gpt-5.4: standard 2.50/0.25/15; above 272K input tokens ('>') the whole request is 5/0.50/22.50.
    Usage atThreshold = Usage.builder().input(272_000).cacheRead(100_000).output(10_000).build();
    CostBreakdown standard = price("gpt-5.4", atThreshold, STANDARD);
    // 172,000 x 2.5 = 0.43; 100,000 x 0.25 = 0.025; 10,000 x 15 = 0.15.
    assertThat(standard.total()).isEqualTo(usd("0.605"));
    assertThat(standard.tier()).isEqualTo("standard");

    Usage above = Usage.builder().input(272_001).cacheRead(100_000).output(10_000).build();
    CostBreakdown large = price("gpt-5.4", above, STANDARD);
    // 172,001 x 5 = 0.860005; 100,000 x 0.5 = 0.05; 10,000 x 22.5 = 0.225.
    assertThat(large.amount(CostComponent.INPUT)).isEqualTo(usd("0.860005"));
    assertThat(large.amount(CostComponent.CACHE_READ)).isEqualTo(usd("0.05"));
    assertThat(large.amount(CostComponent.OUTPUT)).isEqualTo(usd("0.225"));
    assertThat(large.tier()).isEqualTo("standard>272k");
    // flex above 272K has its own rates (2.50 / 0.25 / 11.25); batch above 272K is not published: unpriced.
    assertThat(price("gpt-5.4", above, STANDARD.withServiceTier(ServiceTier.FLEX)).tier()).isEqualTo("flex>272k");
    assertThat(price("gpt-5.4", above, STANDARD.withServiceTier(ServiceTier.BATCH)).unpricedReason())
        .isEqualTo(UnpricedReason.NO_PRICE_FOR_TIER);
  }

  @Test
  void audioTokensAtTheirOwnRates() {
    // gpt-4o-audio-preview: text 2.50/10, audio 40/80.
    // text in 400 x 2.5 = 0.001; audio in 600 x 40 = 0.024; text out 200 x 10 = 0.002; audio out 300 x 80 = 0.024.
    Usage u = Usage.builder().input(1_000).audioInput(600).output(500).audioOutput(300).build();
    CostBreakdown b = price("gpt-4o-audio-preview", u, STANDARD);
    assertThat(b.amount(CostComponent.AUDIO_INPUT)).isEqualTo(usd("0.024"));
    assertThat(b.amount(CostComponent.AUDIO_OUTPUT)).isEqualTo(usd("0.024"));
    assertThat(b.total()).isEqualTo(usd("0.051"));
  }

  @Test
  void imageTokensOfVisionModelsAreBilledAsTextAndAudioOfTextModelsIsUnpriced() {
    // gpt-4o bills image input tokens at the text input rate: 5,000 x 2.5 = 0.0125 in the INPUT line.
    CostBreakdown b = price("gpt-4o", Usage.builder().input(5_000).imageInput(3_000).build(), STANDARD);
    assertThat(b.amount(CostComponent.INPUT)).isEqualTo(usd("0.0125"));
    assertThat(b.amount(CostComponent.IMAGE_INPUT)).isEqualTo(usd("0"));
    // gpt-4o has no audio price and does not bill audio as text.
    assertThat(price("gpt-4o", Usage.builder().input(5_000).audioInput(10).build(), STANDARD).unpricedReason())
        .isEqualTo(UnpricedReason.NO_PRICE_FOR_AUDIO_INPUT);
  }

  @Test
  void webSearchCallsPerThousand() {
    // gpt-5 web search: 10 per 1K calls; 3 calls = 0.03, plus 1,000 x 1.25 + 100 x 10 = 0.00225.
    CostBreakdown b = price("gpt-5", Usage.builder().input(1_000).output(100).webSearchCalls(3).build(), STANDARD);
    assertThat(b.amount(CostComponent.WEB_SEARCH)).isEqualTo(usd("0.03"));
    assertThat(b.total()).isEqualTo(usd("0.03225"));
    // A search-preview model has no per-call price in the catalog: unpriced rather than silently cheaper.
    assertThat(
            price("gpt-4o-search-preview", Usage.builder().input(10).webSearchCalls(1).build(), STANDARD)
                .unpricedReason())
        .isEqualTo(UnpricedReason.NO_PRICE_FOR_WEB_SEARCH);
  }

  @Test
  void embeddings() {
    // text-embedding-3-small: 0.02 per 1M input tokens; 1,000,000 tokens = 0.02; batch 0.01.
    assertThat(price("text-embedding-3-small", Usage.of(1_000_000, 0), STANDARD).total()).isEqualTo(usd("0.02"));
    assertThat(
            price("text-embedding-3-small", Usage.of(1_000_000, 0), STANDARD.withServiceTier(ServiceTier.BATCH))
                .total())
        .isEqualTo(usd("0.01"));
    // An embeddings model has no output price: output tokens make the call unpriced, not free.
    assertThat(price("text-embedding-3-small", Usage.of(10, 5), STANDARD).unpricedReason())
        .isEqualTo(UnpricedReason.NO_PRICE_FOR_OUTPUT);
  }

  @Test
  void explainShowsTheArithmeticAndAddsUpToTheTotal() {
    Usage u = Usage.builder().input(12_000).cacheRead(1_000).output(800).reasoning(300).build();
    PricingExplanation x = CALC.explain("openai", "o4-mini-2025-04-16", u, STANDARD);
    assertThat(x.breakdown()).usingRecursiveComparison().isEqualTo(CALC.price("openai", "o4-mini-2025-04-16", u, STANDARD));
    assertThat(x.priceSet().effectiveFrom()).isEqualTo(LocalDate.of(2025, 4, 16));
    assertThat(x.date()).isEqualTo(DAY);
    BigDecimal sum = BigDecimal.ZERO;
    for (PricingExplanation.Line l : x.lines()) {
      sum = sum.add(l.amount());
    }
    assertThat(sum).isEqualTo(x.breakdown().total());
    assertThat(x.lines())
        .extracting(PricingExplanation.Line::description)
        .containsExactly("uncached text input", "cache read", "text output", "reasoning (billed as output)");
    assertThat(x.lines().get(3).unitPrice()).isEqualByComparingTo("4.4");
  }
}
