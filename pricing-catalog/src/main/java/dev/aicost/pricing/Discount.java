package dev.aicost.pricing;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * A negotiated discount from a user catalog: a percentage taken off every line of matching calls. It selects a whole
 * provider, one model (matched like a call's model, so an alias or dated snapshot selects its entry), or the entries
 * whose id matches a regular expression. When several match an entry the most specific wins (model, then pattern,
 * then provider); discounts never compound.
 */
public final class Discount {

  private final String provider;
  private final String model;
  private final Pattern pattern;
  private final BigDecimal percent;
  private final String note;
  final String path;

  Discount(String provider, String model, Pattern pattern, BigDecimal percent, String note, String path) {
    this.provider = provider;
    this.model = model;
    this.pattern = pattern;
    this.percent = percent;
    this.note = note;
    this.path = path;
  }

  public String provider() {
    return provider;
  }

  /** The model selected, or {@code null}. */
  public String model() {
    return model;
  }

  /** The entry-id pattern selected, or {@code null}. */
  public String pattern() {
    return pattern == null ? null : pattern.pattern();
  }

  Pattern compiledPattern() {
    return pattern;
  }

  /** Percentage off, between 0 and 100. */
  public BigDecimal percent() {
    return percent;
  }

  public String note() {
    return note;
  }

  /** 0 for a model discount, 1 for a pattern, 2 for a whole provider: lower is more specific. */
  int specificity() {
    return model != null ? 0 : pattern != null ? 1 : 2;
  }

  /** What this discount selects, e.g. {@code openai/gpt-4o}, {@code openai/~^gpt-5.*}, {@code openai/*}. */
  public String selector() {
    if (model != null) {
      return provider + '/' + model;
    }
    if (pattern != null) {
      return provider + "/~" + pattern.pattern();
    }
    return provider + "/*";
  }

  @Override
  public String toString() {
    return "Discount{" + selector() + " -" + percent.toPlainString() + "%}";
  }
}
