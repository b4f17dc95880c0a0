package dev.aicost.sdk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * aicost's settings: system property {@code aicost.x.y} first, then environment variable {@code AICOST_X_Y}, then
 * the default. Every setting is documented in {@code docs/configuration.md}. A malformed value throws
 * {@link IllegalArgumentException} with a message that names the setting and the expected form.
 */
public final class AiCostSettings {

  private final Function<String, String> properties;
  private final Function<String, String> environment;

  private AiCostSettings(Function<String, String> properties, Function<String, String> environment) {
    this.properties = properties;
    this.environment = environment;
  }

  /** Settings from this JVM's system properties and environment. */
  public static AiCostSettings fromSystem() {
    return new AiCostSettings(System::getProperty, System::getenv);
  }

  /** Settings from a map of {@code aicost.*} keys only (tests, embedding). */
  public static AiCostSettings of(Map<String, String> values) {
    Map<String, String> copy = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    return new AiCostSettings(copy::get, name -> null);
  }

  /** These settings with {@code overrides} (full {@code aicost.*} names) taking precedence. */
  public AiCostSettings withOverrides(Map<String, String> overrides) {
    if (overrides.isEmpty()) {
      return this;
    }
    Map<String, String> copy = new LinkedHashMap<>(overrides);
    AiCostSettings base = this;
    return new AiCostSettings(
        name -> copy.containsKey(name) ? copy.get(name) : base.getString(name), name -> null);
  }

  /** The environment variable that sets {@code name}: {@code aicost.ledger.path} → {@code AICOST_LEDGER_PATH}. */
  public static String environmentName(String name) {
    return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The raw value, or {@code null} when unset or blank. */
  public String getString(String name) {
    String v = properties.apply(name);
    if (v == null || v.trim().isEmpty()) {
      v = environment.apply(environmentName(name));
    }
    return v == null || v.trim().isEmpty() ? null : v.trim();
  }

  public String getString(String name, String defaultValue) {
    String v = getString(name);
    return v == null ? defaultValue : v;
  }

  public boolean getBoolean(String name, boolean defaultValue) {
    String v = getString(name);
    if (v == null) {
      return defaultValue;
    }
    switch (v.toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw invalid(name, v, "true or false");
    }
  }

  public int getInt(String name, int defaultValue, int min, int max) {
    String v = getString(name);
    if (v == null) {
      return defaultValue;
    }
    try {
      int i = Integer.parseInt(v);
      if (i < min || i > max) {
        throw invalid(name, v, "a whole number from " + min + " to " + max);
      }
      return i;
    } catch (NumberFormatException e) {
      throw invalid(name, v, "a whole number from " + min + " to " + max);
    }
  }

  /** A comma-separated list: trimmed, blanks dropped; empty when unset. */
  public java.util.List<String> getList(String name) {
    String v = getString(name);
    java.util.List<String> out = new java.util.ArrayList<>();
    if (v != null) {
      for (String part : v.split(",")) {
        if (!part.trim().isEmpty()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }

  /** A message that names the setting, its value and the expected form. */
  public static IllegalArgumentException invalid(String name, String value, String expected) {
    return new IllegalArgumentException(
        "invalid setting "
            + name
            + " (env "
            + environmentName(name)
            + ") = '"
            + value
            + "': expected "
            + expected);
  }
}
