package dev.aicost.pricing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A {@link RateCard} ready for the hot path: rates indexed by service tier, context tiers largest threshold first. */
final class CompiledCard {

  private static final ServiceTier[] TIERS = ServiceTier.values();

  private final CompiledRates[] byTier;
  private final long[] thresholds;
  private final boolean[] inclusive;
  private final CompiledRates[][] contextByTier;
  final String[] contextNames;

  private CompiledCard(CompiledRates[] byTier, long[] thresholds, boolean[] inclusive, CompiledRates[][] contextByTier,
      String[] contextNames) {
    this.byTier = byTier;
    this.thresholds = thresholds;
    this.inclusive = inclusive;
    this.contextByTier = contextByTier;
    this.contextNames = contextNames;
  }

  /**
   * @param labelPrefix prepended to every tier label ({@code ft:} for fine-tune rates)
   * @param labelSuffix appended to every tier label ({@code @region} for regional rates)
   */
  static CompiledCard compile(RateCard card, Set<CostComponent> billedAsText, BigDecimal multiplier,
      String labelPrefix, String labelSuffix) {
    CompiledRates[] byTier = tiers(card, billedAsText, multiplier, labelPrefix, "", labelSuffix);
    List<ContextTier> cts = new ArrayList<>(card.contextTiers());
    // Largest threshold first; at equal thresholds '>' (the stricter test) first.
    cts.sort(
        (a, b) -> {
          int c = Long.compare(b.threshold(), a.threshold());
          return c != 0 ? c : a.operator().compareTo(b.operator());
        });
    int n = cts.size();
    long[] thresholds = new long[n];
    boolean[] inclusive = new boolean[n];
    CompiledRates[][] contextByTier = new CompiledRates[n][];
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      ContextTier ct = cts.get(i);
      thresholds[i] = ct.threshold();
      inclusive[i] = ct.operator() == ContextTier.Operator.AT_LEAST;
      contextByTier[i] = tiers(ct.rates(), billedAsText, multiplier, labelPrefix, ct.name(), labelSuffix);
      names[i] = ct.name();
    }
    return new CompiledCard(byTier, thresholds, inclusive, contextByTier, names);
  }

  private static CompiledRates[] tiers(RateCard card, Set<CostComponent> billedAsText, BigDecimal multiplier,
      String labelPrefix, String contextName, String labelSuffix) {
    CompiledRates[] out = new CompiledRates[TIERS.length];
    for (ServiceTier t : TIERS) {
      Rates r = card.rates(t);
      if (r != null) {
        out[t.ordinal()] =
            CompiledRates.compile(labelPrefix + t.id() + contextName + labelSuffix, r, billedAsText, multiplier);
      }
    }
    return out;
  }

  /** The rates for a request of {@code input} tokens in tier {@code tierOrdinal}; {@code null} if not offered. */
  CompiledRates select(long input, int tierOrdinal) {
    for (int i = 0; i < thresholds.length; i++) {
      if (inclusive[i] ? input >= thresholds[i] : input > thresholds[i]) {
        return contextByTier[i][tierOrdinal];
      }
    }
    return byTier[tierOrdinal];
  }
}
