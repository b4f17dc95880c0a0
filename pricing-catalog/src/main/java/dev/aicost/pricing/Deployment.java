package dev.aicost.pricing;

import java.util.Locale;

/**
 * A name a provider's API reports in place of a model, mapped to a catalog model by a user catalog: an Azure OpenAI
 * deployment name, a Bedrock application inference profile (its ARN or id), a private endpoint. A deployment may
 * also fix the region its calls are priced in (Azure {@code data_zone} or {@code regional} deployments, a Bedrock
 * profile's region) and mark provisioned capacity, which is billed per hour and never priced per token.
 *
 * <p>The name {@code *} is the provider's default deployment: its region and billing apply to every call of the
 * provider that no named deployment matches (e.g. every Azure deployment of a company is a Data Zone deployment).
 */
public final class Deployment {

  /** The name of a provider's default deployment. */
  public static final String DEFAULT_NAME = "*";

  /** How a deployment is billed. */
  public enum Billing {
    /** Per token, at the model's catalog prices (the default). */
    PER_TOKEN("per_token"),
    /** Provisioned capacity (Azure PTU, Bedrock provisioned throughput): billed per hour, calls are unpriced. */
    PROVISIONED("provisioned");

    private final String id;

    Billing(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    static Billing parse(String s) {
      for (Billing b : values()) {
        if (b.id.equals(s)) {
          return b;
        }
      }
      return null;
    }
  }

  private final String provider;
  private final String name;
  private final String model;
  private final String region;
  private final Billing billing;
  private final String note;
  final String origin;
  final String path;

  Deployment(String provider, String name, String model, String region, Billing billing, String note, String origin,
      String path) {
    this.provider = provider;
    this.name = name.toLowerCase(Locale.ROOT);
    this.model = model;
    this.region = region;
    this.billing = billing;
    this.note = note;
    this.origin = origin;
    this.path = path;
  }

  /**
   * A deployment configured outside a catalog file (e.g. from a setting).
   *
   * @param model the model it serves; {@code null} only for the default deployment {@value #DEFAULT_NAME}
   * @param region the region its calls are priced in, or {@code null}
   * @param origin names the configuration in error messages
   * @throws IllegalArgumentException for a blank or malformed field, naming it
   */
  public static Deployment of(String provider, String name, String model, String region, Billing billing,
      String origin) {
    if (provider == null || !provider.matches("[a-z0-9][a-z0-9_.-]*")) {
      throw new IllegalArgumentException("deployment provider must be a lower-case provider name, was '" + provider + "'");
    }
    if (name == null || name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("deployment name must be non-empty without whitespace, was '" + name + "'");
    }
    boolean isDefault = DEFAULT_NAME.equals(name);
    if (isDefault != (model == null || model.isEmpty())) {
      throw new IllegalArgumentException(isDefault
          ? "the default deployment '*' has no model: it sets region and billing only"
          : "deployment '" + name + "' needs the model it serves");
    }
    if (region != null && (region.isEmpty() || region.chars().anyMatch(Character::isWhitespace)
        || region.indexOf('*') >= 0)) {
      throw new IllegalArgumentException("deployment region must be a region name, was '" + region + "'");
    }
    if (isDefault && region == null && billing != Billing.PROVISIONED) {
      throw new IllegalArgumentException("the default deployment '*' must set a region or provisioned billing");
    }
    return new Deployment(provider, name, isDefault ? null : model.trim().toLowerCase(Locale.ROOT), region,
        billing == null ? Billing.PER_TOKEN : billing, null, origin, origin);
  }

  /**
   * Reads Azure OpenAI deployments written as {@code NAME=MODEL[@TYPE],...}: TYPE is {@code global} (the default),
   * {@code data_zone}, {@code regional} (the pricing region of the deployment) or {@code provisioned} (PTU: calls
   * unpriced); {@code *=@TYPE} sets the type of every deployment not listed. Example:
   * {@code chat-prod=gpt-4o-2024-11-20@data_zone,embed=text-embedding-3-small,*=@data_zone}.
   *
   * @param origin names the setting in error messages
   * @throws IllegalArgumentException naming the malformed entry
   */
  public static java.util.List<Deployment> parseAzure(String spec, String origin) {
    java.util.List<Deployment> out = new java.util.ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (String raw : spec.split(",")) {
      String item = raw.trim();
      if (item.isEmpty()) {
        continue;
      }
      int eq = item.indexOf('=');
      if (eq <= 0 || eq == item.length() - 1) {
        throw new IllegalArgumentException(
            origin + ": '" + item + "' is not NAME=MODEL[@TYPE] (e.g. chat-prod=gpt-4o-2024-11-20@data_zone)");
      }
      String name = item.substring(0, eq).trim();
      String rest = item.substring(eq + 1).trim();
      String model = rest;
      String type = null;
      int at = rest.lastIndexOf('@');
      if (at >= 0) {
        model = rest.substring(0, at).trim();
        type = rest.substring(at + 1).trim();
      }
      String region = null;
      Billing billing = Billing.PER_TOKEN;
      if (type != null) {
        switch (type) {
          case "global":
          case "data_zone":
          case "regional":
            region = type;
            break;
          case "provisioned":
            billing = Billing.PROVISIONED;
            break;
          default:
            throw new IllegalArgumentException(origin + ": deployment type '" + type + "' in '" + item
                + "' must be global, data_zone, regional or provisioned");
        }
      }
      if (!names.add(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(origin + ": deployment '" + name + "' is listed twice");
      }
      try {
        out.add(of("azure.ai.openai", name, model.isEmpty() ? null : model, region, billing, origin));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(origin + ": " + e.getMessage() + " ('" + item + "')", e);
      }
    }
    return out;
  }

  public String provider() {
    return provider;
  }

  /** The deployment name, lower-cased ({@value #DEFAULT_NAME} for the provider's default deployment). */
  public String name() {
    return name;
  }

  /** The model it serves, resolved like a call's model; {@code null} for the default deployment. */
  public String model() {
    return model;
  }

  /** The region its calls are priced in (e.g. {@code data_zone}), or {@code null} for the call's own region. */
  public String region() {
    return region;
  }

  public Billing billing() {
    return billing;
  }

  public String note() {
    return note;
  }

  public boolean isDefault() {
    return DEFAULT_NAME.equals(name);
  }

  String key() {
    return CatalogChecks.key(provider, name);
  }

  @Override
  public String toString() {
    return "Deployment{" + provider + '/' + name + (model == null ? "" : " -> " + model)
        + (region == null ? "" : " @" + region) + (billing == Billing.PER_TOKEN ? "" : ", " + billing.id()) + '}';
  }
}
