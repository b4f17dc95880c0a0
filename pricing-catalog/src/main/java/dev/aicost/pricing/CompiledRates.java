package dev.aicost.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Set;

/**
 * One rate set ready for the hot path: each price as a long number of pico-units per token (per call for web
 * search), {@link #ABSENT} when the dimension is not priced, and the tier label precomputed.
 */
final class CompiledRates {

  static final long ABSENT = -1;

  final String label;
  final long input;
  final long cacheRead;
  final long cacheWrite5m;
  final long cacheWrite1h;
  final long output;
  final long reasoning;
  final long audioInput;
  final long audioOutput;
  final long imageInput;
  final long webSearch;
  final boolean audioInputAsText;
  final boolean audioOutputAsText;
  final boolean imageInputAsText;

  private CompiledRates(String label, long[] v, boolean audioInputAsText, boolean audioOutputAsText,
      boolean imageInputAsText) {
    this.label = label;
    this.input = v[CostComponent.INPUT.ordinal()];
    this.cacheRead = v[CostComponent.CACHE_READ.ordinal()];
    this.cacheWrite5m = v[CostComponent.CACHE_WRITE_5M.ordinal()];
    this.cacheWrite1h = v[CostComponent.CACHE_WRITE_1H.ordinal()];
    this.output = v[CostComponent.OUTPUT.ordinal()];
    this.reasoning = v[CostComponent.REASONING.ordinal()];
    this.audioInput = v[CostComponent.AUDIO_INPUT.ordinal()];
    this.audioOutput = v[CostComponent.AUDIO_OUTPUT.ordinal()];
    this.imageInput = v[CostComponent.IMAGE_INPUT.ordinal()];
    this.webSearch = v[CostComponent.WEB_SEARCH.ordinal()];
    this.audioInputAsText = audioInputAsText;
    this.audioOutputAsText = audioOutputAsText;
    this.imageInputAsText = imageInputAsText;
  }

  /**
   * Compiles published rates. A price of X per 1M tokens is X * 10^6 pico-units per token, exact because the loader
   * allows at most six decimals; X per 1K calls is X * 10^9 pico-units per call. A multiplier (regional uplift) is
   * applied here, rounding half-even to the pico-unit per token.
   */
  static CompiledRates compile(String label, Rates rates, Set<CostComponent> billedAsText, BigDecimal multiplier) {
    long[] v = new long[CostComponent.values().length];
    for (CostComponent c : CostComponent.values()) {
      BigDecimal p = rates.price(c);
      if (p == null) {
        v[c.ordinal()] = ABSENT;
        continue;
      }
      if (multiplier != null) {
        p = p.multiply(multiplier);
      }
      int shift = c == CostComponent.WEB_SEARCH ? 9 : 6;
      v[c.ordinal()] = p.movePointRight(shift).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }
    return new CompiledRates(
        label,
        v,
        billedAsText.contains(CostComponent.AUDIO_INPUT),
        billedAsText.contains(CostComponent.AUDIO_OUTPUT),
        billedAsText.contains(CostComponent.IMAGE_INPUT));
  }

  /** A compiled rate back in catalog units: per 1M tokens, or per 1K calls for web search. */
  static BigDecimal published(CostComponent c, long picos) {
    return BigDecimal.valueOf(picos, c == CostComponent.WEB_SEARCH ? 9 : 6).stripTrailingZeros();
  }
}
