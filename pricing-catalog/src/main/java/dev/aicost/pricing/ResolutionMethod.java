package dev.aicost.pricing;

/** One step of how a model name was matched to a catalog entry, in the order they are tried. */
public enum ResolutionMethod {
  /** The name is an entry's id. */
  EXACT_ID("exact id"),
  /** The name is one of an entry's aliases. */
  ALIAS("alias"),
  /** A date suffix ({@code -YYYY-MM-DD}, {@code -YYYYMMDD}, {@code @YYYYMMDD}) was stripped. */
  DATED_SNAPSHOT("dated snapshot"),
  /** A {@code provider/} prefix was stripped (e.g. {@code openai/gpt-4o}). */
  PROVIDER_PREFIX("provider prefix"),
  /** An OpenAI-style fine-tuned name {@code ft:BASE:org:name:id}, priced at BASE's fine-tune rates. */
  FINE_TUNE("fine-tuned model"),
  /** One of an entry's regular expressions matched. */
  PATTERN("pattern"),
  /** Nothing matched. */
  UNRESOLVED("unresolved");

  private final String description;

  ResolutionMethod(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
