package dev.aicost.pricing;

import java.util.Collections;
import java.util.List;

/** How a (provider, model) pair was matched to a catalog entry, or that it was not. Immutable. */
public final class ModelResolution {

  private final String provider;
  private final String model;
  private final ModelEntry entry;
  private final List<ResolutionMethod> steps;
  private final boolean fineTuned;
  private final String description;
  // Set by CostCalculator; null for resolutions made only to inspect a catalog.
  final CompiledEntry compiled;
  // The region the name implies (global for a Bedrock global. profile, a deployment's region), or null.
  final String region;
  // The deployment the name is (or the provider's default deployment), or null.
  final Deployment deployment;
  final boolean provisioned;

  ModelResolution(
      String provider,
      String model,
      ModelEntry entry,
      List<ResolutionMethod> steps,
      String description,
      CompiledEntry compiled,
      String region,
      Deployment deployment) {
    this.provider = provider;
    this.model = model;
    this.entry = entry;
    this.steps = Collections.unmodifiableList(steps);
    this.fineTuned = steps.contains(ResolutionMethod.FINE_TUNE);
    this.description = description;
    this.compiled = compiled;
    this.region = region;
    this.deployment = deployment;
    this.provisioned = deployment != null && deployment.billing() == Deployment.Billing.PROVISIONED;
  }

  /**
   * The deployment the name is ({@link ResolutionMethod#DEPLOYMENT}), or the provider's default deployment
   * {@code *} when one is configured; {@code null} otherwise.
   */
  public Deployment deployment() {
    return deployment;
  }

  /**
   * The region the model name implies and that the call is priced in, whatever region it ran in: {@code global}
   * for a Bedrock {@code global.} inference profile, the region of a deployment; {@code null} when the name implies
   * none.
   */
  public String impliedRegion() {
    return region;
  }

  /** The provider as asked. */
  public String provider() {
    return provider;
  }

  /** The model name as asked. */
  public String model() {
    return model;
  }

  public boolean isResolved() {
    return entry != null;
  }

  /** The matched entry, or {@code null}. */
  public ModelEntry entry() {
    return entry;
  }

  /** The first (outermost) step, e.g. {@link ResolutionMethod#PROVIDER_PREFIX} for {@code openai/gpt-4o}. */
  public ResolutionMethod method() {
    return steps.get(0);
  }

  /** Every step taken, outermost first: {@code ft:gpt-4o-mini-2024-07-18:...} gives {@code [FINE_TUNE, ALIAS]}. */
  public List<ResolutionMethod> steps() {
    return steps;
  }

  /** Whether the call is priced at the entry's fine-tune rates. */
  public boolean isFineTuned() {
    return fineTuned;
  }

  /** A sentence for people, e.g. {@code dated snapshot 'gpt-4o-2024-05-13' stripped to 'gpt-4o' (exact id)}. */
  public String describe() {
    return description;
  }

  @Override
  public String toString() {
    return "ModelResolution{" + provider + '/' + model + " -> " + (entry == null ? "unresolved" : entry.entryId())
        + ", " + steps + '}';
  }
}
