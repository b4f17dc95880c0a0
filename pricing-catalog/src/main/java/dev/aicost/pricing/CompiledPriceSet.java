package dev.aicost.pricing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link PriceSet} ready for the hot path: its period as epoch days, its cards compiled. */
final class CompiledPriceSet {

  final PriceSet source;
  final long fromDay;
  /** Exclusive; {@link Long#MAX_VALUE} while in force. */
  final long toDay;
  final String currency;
  final CompiledCard card;
  /** Exact region name to card, or {@code null} when the set has no regional prices. */
  final Map<String, CompiledCard> regional;
  /** Region prefixes ({@code eu-} for {@code eu-*}), longest first, or {@code null} when there are none. */
  private final String[] prefixes;
  private final CompiledCard[] prefixCards;
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
      this.prefixes = null;
      this.prefixCards = null;
    } else {
      Map<String, CompiledCard> m = new HashMap<>();
      List<String> pre = new ArrayList<>();
      List<CompiledCard> preCards = new ArrayList<>();
      for (RegionalPricing r : p.regional()) {
        for (String region : r.regions()) {
          CompiledCard c =
              r.multiplier() != null
                  ? CompiledCard.compile(p.rates(), p.billedAsText(), r.multiplier(), "", '@' + region)
                  : CompiledCard.compile(r.rates(), p.billedAsText(), null, "", '@' + region);
          if (region.endsWith("*")) {
            pre.add(region.substring(0, region.length() - 1));
            preCards.add(c);
          } else {
            m.put(region, c);
          }
        }
      }
      this.regional = m;
      if (pre.isEmpty()) {
        this.prefixes = null;
        this.prefixCards = null;
      } else {
        // Longest prefix first, so 'eu-west-*' wins over 'eu-*'.
        Integer[] order = new Integer[pre.size()];
        for (int i = 0; i < order.length; i++) {
          order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(pre.get(b).length(), pre.get(a).length()));
        this.prefixes = new String[order.length];
        this.prefixCards = new CompiledCard[order.length];
        for (int i = 0; i < order.length; i++) {
          prefixes[i] = pre.get(order[i]);
          prefixCards[i] = preCards.get(order[i]);
        }
      }
    }
    this.fineTune = p.fineTune() == null ? null : CompiledCard.compile(p.fineTune(), p.billedAsText(), null, "ft:", "");
  }

  /**
   * The card for a call in {@code region}: an exact regional entry, else the longest matching {@code prefix*} entry,
   * else the set's own card. Allocation-free.
   */
  CompiledCard cardFor(String region) {
    if (region == null || regional == null) {
      return card;
    }
    CompiledCard c = regional.get(region);
    if (c != null) {
      return c;
    }
    if (prefixes != null) {
      for (int i = 0; i < prefixes.length; i++) {
        if (region.startsWith(prefixes[i])) {
          return prefixCards[i];
        }
      }
    }
    return card;
  }
}
