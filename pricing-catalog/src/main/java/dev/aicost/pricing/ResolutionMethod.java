package dev.aicost.pricing;

/** One step of how a model name was matched to a catalog entry, in the order they are tried. */
public enum ResolutionMethod {
  /** The name is a deployment of a user catalog (an Azure deployment name, a Bedrock application profile). */
  DEPLOYMENT("deployment"),
  /** The name is an entry's id. */
  EXACT_ID("exact id"),
  /** The name is one of an entry's aliases. */
  ALIAS("alias"),
  /** A date suffix ({@code -YYYY-MM-DD}, {@code -YYYYMMDD}, {@code @YYYYMMDD}) was stripped. */
  DATED_SNAPSHOT("dated snapshot"),
  /** A Vertex AI version other than a date was stripped ({@code claude-opus-4-6@default}). */
  VERSION_SUFFIX("version suffix"),
  /** A {@code provider/} prefix was stripped (e.g. {@code openai/gpt-4o}). */
  PROVIDER_PREFIX("provider prefix"),
  /**
   * A resource path was stripped, keeping the last segment: {@code models/gemini-2.5-flash},
   * {@code publishers/google/models/...}, a Bedrock ARN {@code arn:aws:bedrock:...:inference-profile/...}.
   */
  RESOURCE_PATH("resource path"),
  /**
   * A Bedrock cross-region inference profile prefix was stripped ({@code us.}, {@code eu.}, {@code apac.},
   * {@code jp.}, {@code au.}, {@code ca.}, {@code us-gov.}, {@code global.}); {@code global.} prices the call in
   * region {@code global}.
   */
  INFERENCE_PROFILE("inference profile"),
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
