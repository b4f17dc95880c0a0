package dev.aicost.pricing;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;

/**
 * Prices that apply when a call runs in one of the listed regions ({@link PricingContext#region()}): either a
 * multiplier on every rate of the price set (e.g. {@code 1.1} for a 10% regional uplift), or absolute rates. A call
 * in a region that is not listed is priced at the price set's own (global) rates. Fine-tune rates are not affected.
 */
public final class RegionalPricing {

  private final List<String> regions;
  private final BigDecimal multiplier;
  private final RateCard rates;

  RegionalPricing(List<String> regions, BigDecimal multiplier, RateCard rates) {
    this.regions = Collections.unmodifiableList(regions);
    this.multiplier = multiplier;
    this.rates = rates;
  }

  public List<String> regions() {
    return regions;
  }

  /** The multiplier applied to every rate, or {@code null} when this entry gives absolute rates. */
  public BigDecimal multiplier() {
    return multiplier;
  }

  /** Absolute regional rates, or {@code null} when this entry is a multiplier. */
  public RateCard rates() {
    return rates;
  }
}
