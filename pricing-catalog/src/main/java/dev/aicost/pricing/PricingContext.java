package dev.aicost.pricing;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Circumstances of a call that change its price: the service tier (the one the response reports wins over the
 * requested one), the region (for regional uplifts) and the date (prices are effective-dated).
 */
public final class PricingContext {

  /** Standard tier, no region, priced at today's prices. */
  public static final PricingContext DEFAULT = new PricingContext(ServiceTier.STANDARD, null, null);

  private final ServiceTier serviceTier;
  private final String region;
  private final LocalDate date;

  private PricingContext(ServiceTier serviceTier, String region, LocalDate date) {
    this.serviceTier = serviceTier;
    this.region = region;
    this.date = date;
  }

  public static PricingContext of(ServiceTier serviceTier, String region, LocalDate date) {
    return new PricingContext(serviceTier == null ? ServiceTier.STANDARD : serviceTier, region, date);
  }

  public ServiceTier serviceTier() {
    return serviceTier;
  }

  /** The region the call ran in, or {@code null}. */
  public String region() {
    return region;
  }

  /** The date whose prices apply, or {@code null} for today. */
  public LocalDate date() {
    return date;
  }

  public PricingContext withServiceTier(ServiceTier tier) {
    return of(tier, region, date);
  }

  public PricingContext withRegion(String newRegion) {
    return of(serviceTier, newRegion, date);
  }

  public PricingContext withDate(LocalDate newDate) {
    return of(serviceTier, region, newDate);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof PricingContext)) {
      return false;
    }
    PricingContext that = (PricingContext) o;
    return serviceTier == that.serviceTier && Objects.equals(region, that.region) && Objects.equals(date, that.date);
  }

  @Override
  public int hashCode() {
    return Objects.hash(serviceTier, region, date);
  }

  @Override
  public String toString() {
    return "PricingContext{tier=" + serviceTier.id() + ", region=" + region + ", date=" + date + '}';
  }
}
