package dev.aicost.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Properties of pricing over the whole bundled catalog, on seeded random usages (reproducible: the seed is in the
 * test name). Every bundled model, every service tier it offers.
 */
class PricingPropertiesTest {

  private static final CostCalculator CALC = CostCalculator.bundled();
  private static final LocalDate DAY = LocalDate.of(2026, 11, 28);
  private static final int ITERATIONS = 2_000;

  private static final class Case {
    final ModelEntry model;
    final ServiceTier tier;
    final PriceSet set;

    Case(ModelEntry model, ServiceTier tier, PriceSet set) {
      this.model = model;
      this.tier = tier;
      this.set = set;
    }

    CostBreakdown price(Usage u) {
      return CALC.price(model.provider(), model.id(), u, PricingContext.DEFAULT.withDate(DAY).withServiceTier(tier));
    }
  }

  private static List<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (ModelEntry m : PricingCatalog.bundled().models()) {
      PriceSet p = m.priceSetOn(DAY);
      for (ServiceTier t : p.rates().serviceTiers()) {
        out.add(new Case(m, t, p));
      }
    }
    return out;
  }

  /** A usage the model can price: parts only where the model has a price (or text billing) for them. */
  private static Usage usage(Random r, Case c, int maxTokens) {
    Rates rates = c.set.rates().rates(c.tier);
    long cacheRead = r.nextInt(maxTokens);
    long image = c.set.billedAsText().contains(CostComponent.IMAGE_INPUT) ? r.nextInt(maxTokens) : 0;
    long audioIn = rates.has(CostComponent.AUDIO_INPUT) ? r.nextInt(maxTokens) : 0;
    long input = cacheRead + image + audioIn + r.nextInt(maxTokens);
    boolean hasOutput = rates.has(CostComponent.OUTPUT);
    long reasoning = hasOutput ? r.nextInt(maxTokens) : 0;
    long audioOut = hasOutput && rates.has(CostComponent.AUDIO_OUTPUT) ? r.nextInt(maxTokens) : 0;
    long output = hasOutput ? reasoning + audioOut + r.nextInt(maxTokens) : 0;
    long searches = rates.has(CostComponent.WEB_SEARCH) ? r.nextInt(5) : 0;
    return Usage.builder()
        .input(input)
        .cacheRead(cacheRead)
        .imageInput(image)
        .audioInput(audioIn)
        .output(output)
        .reasoning(reasoning)
        .audioOutput(audioOut)
        .webSearchCalls(searches)
        .build();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 7, 42, 2026, 31337})
  void costIsMonotoneInEveryTokenCount(long seed) {
    Random r = new Random(seed);
    List<Case> cases = cases();
    for (int i = 0; i < ITERATIONS; i++) {
      Case c = cases.get(r.nextInt(cases.size()));
      Usage u = usage(r, c, 400_000);
      CostBreakdown before = c.price(u);
      if (ratesApplied(c, u) == null) { // a context tier that does not offer this service tier
        assertThat(before.unpricedReason()).isEqualTo(UnpricedReason.NO_PRICE_FOR_TIER);
        continue;
      }
      assertThat(before.isPriced()).as("%s %s %s", c.model.id(), c.tier, u).isTrue();
      long k = 1 + r.nextInt(50_000);
      Usage.Builder b = u.toBuilder();
      switch (r.nextInt(4)) {
        case 0:
          b.input(u.input() + k);
          break;
        case 1:
          b.input(u.input() + k).cacheRead(u.cacheRead() + k);
          break;
        case 2:
          if (c.set.rates().rates(c.tier).has(CostComponent.OUTPUT)) {
            b.output(u.output() + k);
          }
          break;
        default:
          if (c.set.rates().rates(c.tier).has(CostComponent.OUTPUT)) {
            b.output(u.output() + k).reasoning(u.reasoning() + k);
          }
          break;
      }
      Usage more = b.build();
      CostBreakdown after = c.price(more);
      if (after.isPriced()) { // a context tier without this service tier makes a large call unpriced
        assertThat(after.totalPicos()).as("%s %s: %s -> %s", c.model.id(), c.tier, u, more)
            .isGreaterThanOrEqualTo(before.totalPicos());
      } else {
        assertThat(after.unpricedReason()).isEqualTo(UnpricedReason.NO_PRICE_FOR_TIER);
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {3, 11, 99, 4096, 65537})
  void cachedInputNeverCostsMoreThanUncached(long seed) {
    Random r = new Random(seed);
    List<Case> cases = cases();
    for (int i = 0; i < ITERATIONS; i++) {
      Case c = cases.get(r.nextInt(cases.size()));
      Usage u = usage(r, c, 400_000);
      Usage uncached = u.toBuilder().cacheRead(0).build();
      CostBreakdown cached = c.price(u);
      CostBreakdown plain = c.price(uncached);
      Rates rates = ratesApplied(c, u);
      if (rates == null) {
        assertThat(cached.unpricedReason()).isEqualTo(UnpricedReason.NO_PRICE_FOR_TIER);
        assertThat(plain.unpricedReason()).isEqualTo(UnpricedReason.NO_PRICE_FOR_TIER);
        continue;
      }
      assertThat(cached.isPriced()).isTrue();
      assertThat(cached.totalPicos()).as("%s %s %s", c.model.id(), c.tier, u).isLessThanOrEqualTo(plain.totalPicos());
      // Never billed twice: the difference is exactly cacheRead x (input rate - cache rate).
      long in = rates.price(CostComponent.INPUT).movePointRight(6).longValueExact();
      long cr =
          rates.has(CostComponent.CACHE_READ)
              ? rates.price(CostComponent.CACHE_READ).movePointRight(6).longValueExact()
              : in;
      assertThat(plain.totalPicos() - cached.totalPicos()).isEqualTo(u.cacheRead() * (in - cr));
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {5, 13, 77, 1234, 987654})
  void splittingACallInTwoGivesTheSameTotal(long seed) {
    Random r = new Random(seed);
    List<Case> cases = new ArrayList<>();
    for (Case c : cases()) {
      if (c.set.rates().contextTiers().isEmpty()) {
        cases.add(c);
      }
    }
    for (int i = 0; i < ITERATIONS; i++) {
      Case c = cases.get(r.nextInt(cases.size()));
      Usage a = usage(r, c, 1_000_000);
      Usage b = usage(r, c, 1_000_000);
      CostBreakdown whole = c.price(a.plus(b));
      CostBreakdown pa = c.price(a);
      CostBreakdown pb = c.price(b);
      assertThat(whole.totalPicos()).as("%s %s", c.model.id(), c.tier).isEqualTo(pa.totalPicos() + pb.totalPicos());
      for (CostComponent comp : CostComponent.values()) {
        assertThat(whole.amountPicos(comp)).isEqualTo(pa.amountPicos(comp) + pb.amountPicos(comp));
      }
    }
  }

  private static Rates ratesApplied(Case c, Usage u) {
    for (ContextTier ct : c.set.rates().contextTiers()) {
      if (ct.appliesTo(u.input())) {
        return ct.rates().rates(c.tier);
      }
    }
    return c.set.rates().rates(c.tier);
  }
}
