package dev.aicost.pricing;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One set of per-dimension prices, as published: token dimensions in currency units per one million tokens,
 * {@link CostComponent#WEB_SEARCH} in currency units per one thousand calls. A dimension without a price is absent
 * (never zero); see {@code docs/pricing-catalog.md} for how the calculator treats an absent price.
 */
public final class Rates {

  private final Map<CostComponent, BigDecimal> prices;

  Rates(Map<CostComponent, BigDecimal> prices) {
    EnumMap<CostComponent, BigDecimal> copy = new EnumMap<>(CostComponent.class);
    copy.putAll(prices);
    this.prices = Collections.unmodifiableMap(copy);
  }

  /** The published price of a dimension, or {@code null} when this rate set does not price it. */
  public BigDecimal price(CostComponent component) {
    return prices.get(component);
  }

  public boolean has(CostComponent component) {
    return prices.containsKey(component);
  }

  /** The priced dimensions, in {@link CostComponent} order. */
  public Map<CostComponent, BigDecimal> asMap() {
    return prices;
  }

  /** The unit a price of {@code component} is quoted in: {@code "1M tokens"} or {@code "1K calls"}. */
  public static String unit(CostComponent component) {
    return component == CostComponent.WEB_SEARCH ? "1K calls" : "1M tokens";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rates && prices.equals(((Rates) o).prices);
  }

  @Override
  public int hashCode() {
    return prices.hashCode();
  }

  @Override
  public String toString() {
    return "Rates" + prices;
  }
}
