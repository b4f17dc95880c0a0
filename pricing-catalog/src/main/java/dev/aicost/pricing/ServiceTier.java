package dev.aicost.pricing;

import java.util.Locale;

/** The service tier a call was processed in; each may carry its own prices. */
public enum ServiceTier {
  STANDARD("standard"),
  BATCH("batch"),
  FLEX("flex"),
  PRIORITY("priority");

  private final String id;

  ServiceTier(String id) {
    this.id = id;
  }

  /** The lower-case name used in the catalog, telemetry and the CLI. */
  public String id() {
    return id;
  }

  /**
   * Reads a tier as providers and users write it. {@code default}, {@code auto}, {@code on_demand} and
   * {@code standard} are the standard tier ({@code auto} is what a request asks for; the response reports the tier
   * actually used). Returns {@code null} for {@code null} or blank input.
   *
   * @throws IllegalArgumentException for a tier aicost does not know, naming the accepted values
   */
  public static ServiceTier parse(String s) {
    if (s == null || s.trim().isEmpty()) {
      return null;
    }
    switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "standard":
      case "default":
      case "auto":
      case "on_demand":
      case "on-demand":
      case "scale":
        return STANDARD;
      case "batch":
        return BATCH;
      case "flex":
        return FLEX;
      case "priority":
        return PRIORITY;
      default:
        throw new IllegalArgumentException(
            "unknown service tier '" + s + "': expected one of standard, batch, flex, priority");
    }
  }
}
