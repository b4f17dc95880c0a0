package dev.aicost.pricing;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The prices of one model under one set of circumstances: standard rates, the rates of each service tier the model
 * is offered in ({@code batch}, {@code flex}, {@code priority}), and context tiers that move a whole request to other
 * rates when its input is large. A service tier's rates are complete on their own: nothing is inherited from the
 * standard rates.
 */
public final class RateCard {

  private final Map<ServiceTier, Rates> tiers;
  private final List<ContextTier> contextTiers;

  RateCard(Map<ServiceTier, Rates> tiers, List<ContextTier> contextTiers) {
    EnumMap<ServiceTier, Rates> copy = new EnumMap<>(ServiceTier.class);
    copy.putAll(tiers);
    this.tiers = Collections.unmodifiableMap(copy);
    this.contextTiers = Collections.unmodifiableList(contextTiers);
  }

  /** The standard rates. */
  public Rates standard() {
    return tiers.get(ServiceTier.STANDARD);
  }

  /** The rates of a service tier, or {@code null} when the model is not offered in that tier. */
  public Rates rates(ServiceTier tier) {
    return tiers.get(tier);
  }

  /** The service tiers priced here, {@link ServiceTier#STANDARD} included. */
  public Set<ServiceTier> serviceTiers() {
    return tiers.keySet();
  }

  /** Context tiers, in catalog order. Empty when the price does not depend on the size of a request. */
  public List<ContextTier> contextTiers() {
    return contextTiers;
  }
}
