package dev.aicost.pricing;

import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The prices of a model over one period: in force from {@link #effectiveFrom()} (inclusive) until
 * {@link #effectiveTo()} (exclusive; {@code null} while still in force). Periods of one model never overlap.
 */
public final class PriceSet {

  private final LocalDate effectiveFrom;
  private final LocalDate effectiveTo;
  private final String source;
  private final LocalDate verifiedOn;
  private final String verifiedAgainst;
  private final String note;
  private final String currency;
  private final RateCard rates;
  private final Set<CostComponent> billedAsText;
  private final List<RegionalPricing> regional;
  private final RateCard fineTune;

  PriceSet(
      LocalDate effectiveFrom,
      LocalDate effectiveTo,
      String source,
      LocalDate verifiedOn,
      String verifiedAgainst,
      String note,
      String currency,
      RateCard rates,
      Set<CostComponent> billedAsText,
      List<RegionalPricing> regional,
      RateCard fineTune) {
    this.effectiveFrom = effectiveFrom;
    this.effectiveTo = effectiveTo;
    this.source = source;
    this.verifiedOn = verifiedOn;
    this.verifiedAgainst = verifiedAgainst;
    this.note = note;
    this.currency = currency;
    this.rates = rates;
    this.billedAsText =
        billedAsText.isEmpty()
            ? Collections.<CostComponent>emptySet()
            : Collections.unmodifiableSet(EnumSet.copyOf(billedAsText));
    this.regional = Collections.unmodifiableList(regional);
    this.fineTune = fineTune;
  }

  public LocalDate effectiveFrom() {
    return effectiveFrom;
  }

  /** First day the prices are no longer in force, or {@code null} when they still are. */
  public LocalDate effectiveTo() {
    return effectiveTo;
  }

  /** Whether these prices apply to a call made on {@code date}. */
  public boolean inForceOn(LocalDate date) {
    return !date.isBefore(effectiveFrom) && (effectiveTo == null || date.isBefore(effectiveTo));
  }

  /** Where the prices were published (a URL for bundled data). */
  public String source() {
    return source;
  }

  /** When the prices were last cross-checked, or {@code null}. */
  public LocalDate verifiedOn() {
    return verifiedOn;
  }

  /** What they were cross-checked against, or {@code null}. */
  public String verifiedAgainst() {
    return verifiedAgainst;
  }

  /** Free-text remarks: disagreements between sources and the choice made, caveats. May be {@code null}. */
  public String note() {
    return note;
  }

  /** ISO 4217 currency code of every price in this set. */
  public String currency() {
    return currency;
  }

  public RateCard rates() {
    return rates;
  }

  /**
   * Dimensions without a price of their own whose tokens the provider bills at the text rate of the same direction
   * ({@code audio_input}, {@code image_input} at the input rate; {@code audio_output} at the output rate).
   */
  public Set<CostComponent> billedAsText() {
    return billedAsText;
  }

  public List<RegionalPricing> regional() {
    return regional;
  }

  /** Inference rates of fine-tuned models ({@code ft:BASE:...}) based on this model, or {@code null}. */
  public RateCard fineTune() {
    return fineTune;
  }
}
