package dev.aicost.pricing;

import java.util.HashMap;
import java.util.Map;

/** A {@link PriceSet} ready for the hot path: its period as epoch days, its cards compiled. */
final class CompiledPriceSet {

  final PriceSet source;
  final long fromDay;
  /** Exclusive; {@link Long#MAX_VALUE} while in force. */
  final long toDay;
  final String currency;
  final CompiledCard card;
  /** Region name to card, or {@code null} when the set has no regional prices. */
  final Map<String, CompiledCard> regional;
  /** {@code null} when the set has no fine-tune rates. */
  final CompiledCard fineTune;

  CompiledPriceSet(PriceSet p) {
    this.source = p;
    this.fromDay = p.effectiveFrom().toEpochDay();
    this.toDay = p.effectiveTo() == null ? Long.MAX_VALUE : p.effectiveTo().toEpochDay();
    this.currency = p.currency();
    this.card = CompiledCard.compile(p.rates(), p.billedAsText(), null, "", "");
    if (p.regional().isEmpty()) {
      this.regional = null;
    } else {
      Map<String, CompiledCard> m = new HashMap<>();
      for (RegionalPricing r : p.regional()) {
        for (String region : r.regions()) {
          m.put(
              region,
              r.multiplier() != null
                  ? CompiledCard.compile(p.rates(), p.billedAsText(), r.multiplier(), "", '@' + region)
                  : CompiledCard.compile(r.rates(), p.billedAsText(), null, "", '@' + region));
        }
      }
      this.regional = m;
    }
    this.fineTune = p.fineTune() == null ? null : CompiledCard.compile(p.fineTune(), p.billedAsText(), null, "ft:", "");
  }
}
