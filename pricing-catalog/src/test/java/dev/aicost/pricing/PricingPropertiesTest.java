package dev.aicost.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of pricing over the whole bundled catalog (every provider, model, service tier and regional price in
 * force on the test date), with jqwik generating the usages and shrinking any counterexample to a minimal one:
 *
 * <ul>
 *   <li>cost is monotone in every token count (and in web search calls);
 *   <li>cached input never costs more than the same tokens uncached, and saves at most their full price;
 *   <li>splitting a call's usage into two calls never changes the total, line by line, unless the parts fall in a
 *       different context tier than the whole (then the whole is never cheaper).
 * </ul>
 */
class PricingPropertiesTest {

  private static final CostCalculator CALC = CostCalculator.bundled();
  private static final LocalDate DAY = LocalDate.of(2026, 11, 28);

  /** The usage dimensions a generated call can have. */
  enum Dim {
    UNCACHED_INPUT,
    CACHE_READ,
    CACHE_WRITE_5M,
    CACHE_WRITE_1H,
    AUDIO_INPUT,
    IMAGE_INPUT,
    TEXT_OUTPUT,
    REASONING,
    AUDIO_OUTPUT,
    WEB_SEARCH
  }

  /** A model priced in one service tier and region, with the usage dimensions it prices. */
  record Scenario(ModelEntry model, ServiceTier tier, String region, List<Dim> dims) {
    PricingContext context() {
      return PricingContext.of(tier, region, DAY);
    }

    CostBreakdown price(Usage u) {
      return CALC.price(model.provider(), model.id(), u, context());
    }

    @Override
    public String toString() {
      return model.entryId() + ' ' + tier.id() + (region == null ? "" : " @" + region);
    }
  }

  private static final List<Scenario> SCENARIOS = scenarios();

  private static List<Scenario> scenarios() {
    List<Scenario> out = new ArrayList<>();
    for (ModelEntry m : PricingCatalog.bundled().models()) {
      PriceSet p = m.priceSetOn(DAY);
      addScenarios(out, m, p, p.rates(), null);
      for (RegionalPricing r : p.regional()) {
        // absolute regional rates offer their own service tiers; a multiplier offers the set's
        RateCard card = r.rates() != null ? r.rates() : p.rates();
        for (String region : r.regions()) {
          addScenarios(out, m, p, card,
              region.endsWith("*") ? region.substring(0, region.length() - 1) + "test-1" : region);
        }
      }
    }
    return out;
  }

  private static void addScenarios(List<Scenario> out, ModelEntry m, PriceSet p, RateCard card, String region) {
    for (ServiceTier t : card.serviceTiers()) {
      out.add(new Scenario(m, t, region, dims(p, card.rates(t))));
    }
  }

  /** The dimensions a tier prices (or bills as text), so that generated calls are priceable. */
  private static List<Dim> dims(PriceSet p, Rates r) {
    Set<CostComponent> text = p.billedAsText();
    List<Dim> d = new ArrayList<>(List.of(Dim.UNCACHED_INPUT, Dim.CACHE_READ));
    boolean writes5m = r.has(CostComponent.CACHE_WRITE_5M);
    d.add(Dim.CACHE_WRITE_5M);
    if (r.has(CostComponent.CACHE_WRITE_1H) || !writes5m) {
      d.add(Dim.CACHE_WRITE_1H);
    }
    if (r.has(CostComponent.AUDIO_INPUT) || text.contains(CostComponent.AUDIO_INPUT)) {
      d.add(Dim.AUDIO_INPUT);
    }
    if (r.has(CostComponent.IMAGE_INPUT) || text.contains(CostComponent.IMAGE_INPUT)) {
      d.add(Dim.IMAGE_INPUT);
    }
    if (r.has(CostComponent.OUTPUT)) {
      d.add(Dim.TEXT_OUTPUT);
      d.add(Dim.REASONING);
      if (r.has(CostComponent.AUDIO_OUTPUT) || text.contains(CostComponent.AUDIO_OUTPUT)) {
        d.add(Dim.AUDIO_OUTPUT);
      }
    }
    if (r.has(CostComponent.WEB_SEARCH)) {
      d.add(Dim.WEB_SEARCH);
    }
    return List.copyOf(d);
  }

  /** A call: the scenario and a usage of its dimensions, sized to cross context tiers now and then. */
  record Call(Scenario scenario, Usage usage) {}

  @Provide
  Arbitrary<Scenario> scenario() {
    return Arbitraries.of(SCENARIOS);
  }

  @Provide
  Arbitrary<Call> call() {
    return scenario().flatMap(s -> usage(s, 400_000).map(u -> new Call(s, u)));
  }

  @Provide
  Arbitrary<Call[]> split() {
    return scenario().flatMap(s -> Combinators.combine(usage(s, 300_000), usage(s, 300_000))
        .as((a, b) -> new Call[] {new Call(s, a), new Call(s, b)}));
  }

  private static Arbitrary<Usage> usage(Scenario s, long max) {
    Arbitrary<Long> tokens = Arbitraries.longs().between(0, max);
    Arbitrary<Long> searches = Arbitraries.longs().between(0, 5);
    Set<Dim> d = EnumSet.copyOf(s.dims());
    return Combinators.combine(
            List.of(
                tokens,
                d.contains(Dim.CACHE_READ) ? tokens : Arbitraries.just(0L),
                d.contains(Dim.CACHE_WRITE_5M) ? tokens : Arbitraries.just(0L),
                d.contains(Dim.CACHE_WRITE_1H) ? tokens : Arbitraries.just(0L),
                d.contains(Dim.AUDIO_INPUT) ? tokens : Arbitraries.just(0L),
                d.contains(Dim.IMAGE_INPUT) ? tokens : Arbitraries.just(0L),
                d.contains(Dim.TEXT_OUTPUT) ? tokens : Arbitraries.just(0L),
                d.contains(Dim.REASONING) ? tokens : Arbitraries.just(0L),
                d.contains(Dim.AUDIO_OUTPUT) ? tokens : Arbitraries.just(0L),
                d.contains(Dim.WEB_SEARCH) ? searches : Arbitraries.just(0L)))
        .as(v -> {
          long cached = v.get(1) / 4; // keep the input mostly uncached so large calls stay common
          long w5 = v.get(2) / 8;
          long w1 = v.get(3) / 8;
          long audioIn = v.get(4) / 8;
          long image = v.get(5) / 8;
          long reasoning = v.get(7) / 8;
          long audioOut = v.get(8) / 8;
          return Usage.builder()
              .input(v.get(0) + cached + w5 + w1 + audioIn + image)
              .cacheRead(cached)
              .cacheWrite5m(w5)
              .cacheWrite1h(w1)
              .audioInput(audioIn)
              .imageInput(image)
              .output(v.get(6) / 8 + reasoning + audioOut)
              .reasoning(reasoning)
              .audioOutput(audioOut)
              .webSearchCalls(v.get(9))
              .build();
        });
  }

  /** {@code u} with {@code k} more of one dimension (its parent totals included). */
  private static Usage plus(Usage u, Dim d, long k) {
    Usage.Builder b = u.toBuilder();
    switch (d) {
      case UNCACHED_INPUT -> b.input(u.input() + k);
      case CACHE_READ -> b.input(u.input() + k).cacheRead(u.cacheRead() + k);
      case CACHE_WRITE_5M -> b.input(u.input() + k).cacheWrite5m(u.cacheWrite5m() + k);
      case CACHE_WRITE_1H -> b.input(u.input() + k).cacheWrite1h(u.cacheWrite1h() + k);
      case AUDIO_INPUT -> b.input(u.input() + k).audioInput(u.audioInput() + k);
      case IMAGE_INPUT -> b.input(u.input() + k).imageInput(u.imageInput() + k);
      case TEXT_OUTPUT -> b.output(u.output() + k);
      case REASONING -> b.output(u.output() + k).reasoning(u.reasoning() + k);
      case AUDIO_OUTPUT -> b.output(u.output() + k).audioOutput(u.audioOutput() + k);
      case WEB_SEARCH -> b.webSearchCalls(u.webSearchCalls() + 1 + k % 5);
    }
    return b.build();
  }

  @Property(tries = 1500)
  void costIsMonotoneInEveryTokenCount(
      @ForAll("call") Call c,
      @ForAll @IntRange(min = 0, max = 1000) int which,
      @ForAll @LongRange(min = 1, max = 150_000) long k) {
    Scenario s = c.scenario();
    CostBreakdown before = s.price(c.usage());
    Assume.that(before.isPriced()); // a large call in a context tier that does not offer the scenario's tier
    Dim d = s.dims().get(which % s.dims().size());
    Usage more = plus(c.usage(), d, k);
    CostBreakdown after = s.price(more);
    if (!after.isPriced()) {
      // Only possible by crossing into a context tier without this service tier: never a silent zero.
      assertThat(after.unpricedReason()).as("%s +%d %s", s, k, d).isEqualTo(UnpricedReason.NO_PRICE_FOR_TIER);
      return;
    }
    assertThat(after.totalPicos()).as("%s: %s -> +%d %s", s, c.usage(), k, d)
        .isGreaterThanOrEqualTo(before.totalPicos());
  }

  @Property(tries = 1500)
  void cachedInputNeverCostsMoreThanUncached(@ForAll("call") Call c, @ForAll @LongRange(min = 1, max = 200_000)
      long cached) {
    Scenario s = c.scenario();
    Usage u = c.usage();
    long moreCached = Math.min(cached, u.uncachedTextInput());
    Assume.that(moreCached > 0);
    Usage withCache = u.toBuilder().cacheRead(u.cacheRead() + moreCached).build(); // same input, more of it cached
    CostBreakdown plain = s.price(u);
    CostBreakdown hit = s.price(withCache);
    Assume.that(plain.isPriced());
    assertThat(hit.isPriced()).as("%s %s", s, withCache).isTrue();
    assertThat(hit.tier()).isEqualTo(plain.tier()); // the same input size: the same context tier
    long saved = plain.totalPicos() - hit.totalPicos();
    assertThat(saved).as("%s: cached %d of %s", s, moreCached, u).isGreaterThanOrEqualTo(0);
    // Never billed twice, never free beyond its price: the saving is at most the tokens' full input price.
    BigDecimal inputRate = inputRate(s, u);
    long maxSaving = inputRate.movePointRight(6).longValueExact() * moreCached;
    assertThat(saved).isLessThanOrEqualTo(maxSaving);
  }

  private static BigDecimal inputRate(Scenario s, Usage u) {
    for (PricingExplanation.Line l : CALC.explain(s.model().provider(), s.model().id(), u, s.context()).lines()) {
      if (l.component() == CostComponent.INPUT && l.rateOf() == CostComponent.INPUT) {
        return l.unitPrice();
      }
    }
    return BigDecimal.ZERO;
  }

  @Property(tries = 1500)
  void splittingACallChangesNothingExceptAcrossAContextTier(@ForAll("split") Call[] parts) {
    Scenario s = parts[0].scenario();
    Usage a = parts[0].usage();
    Usage b = parts[1].usage();
    CostBreakdown pa = s.price(a);
    CostBreakdown pb = s.price(b);
    CostBreakdown whole = s.price(a.plus(b));
    Assume.that(pa.isPriced() && pb.isPriced());
    if (!whole.isPriced()) {
      assertThat(whole.unpricedReason()).isEqualTo(UnpricedReason.NO_PRICE_FOR_TIER);
      return;
    }
    if (whole.tier().equals(pa.tier()) && whole.tier().equals(pb.tier())) {
      assertThat(whole.totalPicos()).as("%s: %s + %s", s, a, b).isEqualTo(pa.totalPicos() + pb.totalPicos());
      for (CostComponent comp : CostComponent.values()) {
        assertThat(whole.amountPicos(comp)).as("%s %s", s, comp)
            .isEqualTo(pa.amountPicos(comp) + pb.amountPicos(comp));
      }
    } else {
      // The whole request moved to a context tier; tiers are never cheaper than the rates below them.
      assertThat(whole.totalPicos()).as("%s: %s + %s", s, a, b).isGreaterThanOrEqualTo(pa.totalPicos() + pb.totalPicos());
    }
  }

  @Property(tries = 200)
  void everyScenarioPricesAZeroUsageAtZero(@ForAll("scenario") Scenario s) {
    CostBreakdown b = s.price(Usage.ZERO);
    assertThat(b.isPriced()).as(s.toString()).isTrue();
    assertThat(b.totalPicos()).isZero();
  }
}
