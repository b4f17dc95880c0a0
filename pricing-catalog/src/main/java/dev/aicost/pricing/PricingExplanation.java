package dev.aicost.pricing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;

/**
 * The arithmetic behind one {@link CostBreakdown}: how the model resolved, which price set and tier applied, and
 * each line as quantity times rate. The lines (discount lines included) add up to {@link CostBreakdown#total()}.
 */
public final class PricingExplanation {

  /** One product of the breakdown, or one discount adjustment. */
  public static final class Line {
    private final CostComponent component;
    private final String description;
    private final long quantity;
    private final CostComponent rateOf;
    private final BigDecimal unitPrice;
    private final BigDecimal amount;

    Line(CostComponent component, String description, long quantity, CostComponent rateOf, BigDecimal unitPrice,
        BigDecimal amount) {
      this.component = component;
      this.description = description;
      this.quantity = quantity;
      this.rateOf = rateOf;
      this.unitPrice = unitPrice;
      this.amount = amount;
    }

    /** The breakdown line this amount belongs to. */
    public CostComponent component() {
      return component;
    }

    /** What was counted, e.g. {@code cache read} or {@code reasoning (billed as output)}. */
    public String description() {
      return description;
    }

    /** Tokens (calls for web search); 0 for a discount line. */
    public long quantity() {
      return quantity;
    }

    /** Which published rate was used (e.g. INPUT for cache reads of a model without a cache price); null for a discount. */
    public CostComponent rateOf() {
      return rateOf;
    }

    /** The rate in catalog units (per 1M tokens, per 1K calls), or {@code null} for a discount line. */
    public BigDecimal unitPrice() {
      return unitPrice;
    }

    /** {@code "1M tokens"}, {@code "1K calls"}, or {@code null} for a discount line. */
    public String unit() {
      return rateOf == null ? null : Rates.unit(rateOf);
    }

    /** Amount in currency units, scale 12; negative for a discount. */
    public BigDecimal amount() {
      return amount;
    }

    public boolean isDiscount() {
      return rateOf == null;
    }

    @Override
    public String toString() {
      return isDiscount()
          ? component.id() + ": " + description + " = " + amount.toPlainString()
          : component.id() + ": " + description + ' ' + quantity + " x " + unitPrice.toPlainString() + '/' + unit()
              + " = " + amount.toPlainString();
    }
  }

  private final ModelResolution resolution;
  private final CostBreakdown breakdown;
  private final LocalDate date;
  private final PriceSet priceSet;
  private final Discount discount;
  private final List<Line> lines;

  PricingExplanation(ModelResolution resolution, CostBreakdown breakdown, LocalDate date, PriceSet priceSet,
      Discount discount, List<Line> lines) {
    this.resolution = resolution;
    this.breakdown = breakdown;
    this.date = date;
    this.priceSet = priceSet;
    this.discount = discount;
    this.lines = Collections.unmodifiableList(lines);
  }

  public ModelResolution resolution() {
    return resolution;
  }

  /** The same result {@link CostCalculator#price} gives. */
  public CostBreakdown breakdown() {
    return breakdown;
  }

  /** The date whose prices were looked up. */
  public LocalDate date() {
    return date;
  }

  /** The price set in force on {@link #date()}, or {@code null} when the model is unknown or has none. */
  public PriceSet priceSet() {
    return priceSet;
  }

  /** The discount applied, or {@code null}. */
  public Discount discount() {
    return discount;
  }

  /** The lines in the order they were computed; empty when not priced. */
  public List<Line> lines() {
    return lines;
  }
}
