package dev.aicost.pricing;

/**
 * Why a call is not priced: the values of {@link CostBreakdown#unpricedReason()} that {@link CostCalculator} returns.
 * An unpriced call is never a zero-cost call.
 */
public final class UnpricedReason {

  /** The response carried no usage. */
  public static final String USAGE_UNAVAILABLE = "usage_unavailable";
  /** No catalog entry matches the (provider, model) pair. */
  public static final String UNKNOWN_MODEL = "unknown_model";
  /** The model is known but no price set is in force on the call's date. */
  public static final String NO_PRICE_FOR_DATE = "no_price_for_date";
  /** The call ran in a service tier (batch, flex, priority) the catalog does not price for this model and size. */
  public static final String NO_PRICE_FOR_TIER = "no_price_for_tier";
  /** A fine-tuned {@code ft:} model whose base model has no fine-tune rates. */
  public static final String NO_FINE_TUNE_PRICE = "no_fine_tune_price";
  /** 1-hour cache writes on a model that prices 5-minute writes apart but has no 1-hour price. */
  public static final String NO_PRICE_FOR_CACHE_WRITE_1H = "no_price_for_cache_write_1h";
  /** Audio input tokens on a model with no audio input price that does not bill audio as text. */
  public static final String NO_PRICE_FOR_AUDIO_INPUT = "no_price_for_audio_input";
  /** Audio output tokens on a model with no audio output price that does not bill audio as text. */
  public static final String NO_PRICE_FOR_AUDIO_OUTPUT = "no_price_for_audio_output";
  /** Image input tokens on a model with no image input price that does not bill images as text. */
  public static final String NO_PRICE_FOR_IMAGE_INPUT = "no_price_for_image_input";
  /** Output tokens on a model without an output price (e.g. an embeddings model). */
  public static final String NO_PRICE_FOR_OUTPUT = "no_price_for_output";
  /** Web search calls on a model without a web search price. */
  public static final String NO_PRICE_FOR_WEB_SEARCH = "no_price_for_web_search";
  /** The call went to a provisioned-throughput deployment, billed per hour rather than per token. */
  public static final String PROVISIONED_THROUGHPUT = "provisioned_throughput";
  /** An amount above the exact range (over about 9.2 million currency units for one line). */
  public static final String COST_OVERFLOW = "cost_overflow";

  private UnpricedReason() {}
}
