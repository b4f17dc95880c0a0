package dev.aicost.testing;

/**
 * The token counts a {@link MockOpenAiServer} reports for one reply, in the vocabulary of the Chat Completions API.
 *
 * <p>The same numbers are mapped onto each endpoint's wire format:
 *
 * <table>
 *   <caption>Field mapping</caption>
 *   <tr><th>this record</th><th>chat.completion(.chunk) {@code usage}</th><th>response {@code usage}</th>
 *       <th>embeddings {@code usage}</th></tr>
 *   <tr><td>promptTokens</td><td>prompt_tokens</td><td>input_tokens</td><td>prompt_tokens</td></tr>
 *   <tr><td>cachedTokens</td><td>prompt_tokens_details.cached_tokens</td>
 *       <td>input_tokens_details.cached_tokens</td><td>-</td></tr>
 *   <tr><td>cacheWriteTokens</td><td>prompt_tokens_details.cache_write_tokens (only when non-zero)</td>
 *       <td>input_tokens_details.cache_write_tokens</td><td>-</td></tr>
 *   <tr><td>promptAudioTokens</td><td>prompt_tokens_details.audio_tokens</td><td>-</td><td>-</td></tr>
 *   <tr><td>completionTokens</td><td>completion_tokens</td><td>output_tokens</td><td>-</td></tr>
 *   <tr><td>reasoningTokens</td><td>completion_tokens_details.reasoning_tokens</td>
 *       <td>output_tokens_details.reasoning_tokens</td><td>-</td></tr>
 *   <tr><td>completionAudioTokens</td><td>completion_tokens_details.audio_tokens</td><td>-</td><td>-</td></tr>
 *   <tr><td>acceptedPredictionTokens</td><td>completion_tokens_details.accepted_prediction_tokens</td><td>-</td>
 *       <td>-</td></tr>
 *   <tr><td>rejectedPredictionTokens</td><td>completion_tokens_details.rejected_prediction_tokens</td><td>-</td>
 *       <td>-</td></tr>
 *   <tr><td>{@link #totalTokens()}</td><td>total_tokens</td><td>total_tokens</td><td>total_tokens</td></tr>
 * </table>
 *
 * <p>As at OpenAI, {@code cachedTokens}, {@code cacheWriteTokens} and {@code promptAudioTokens} are subsets of {@code promptTokens}, and
 * {@code reasoningTokens}, {@code completionAudioTokens} and both prediction counts are subsets of
 * {@code completionTokens}; the record does not enforce that, so a test can script inconsistent provider data.
 */
public record TokenUsage(
    long promptTokens,
    long cachedTokens,
    long cacheWriteTokens,
    long promptAudioTokens,
    long completionTokens,
    long reasoningTokens,
    long completionAudioTokens,
    long acceptedPredictionTokens,
    long rejectedPredictionTokens) {

  public TokenUsage {
    requireNonNegative("promptTokens", promptTokens);
    requireNonNegative("cachedTokens", cachedTokens);
    requireNonNegative("cacheWriteTokens", cacheWriteTokens);
    requireNonNegative("promptAudioTokens", promptAudioTokens);
    requireNonNegative("completionTokens", completionTokens);
    requireNonNegative("reasoningTokens", reasoningTokens);
    requireNonNegative("completionAudioTokens", completionAudioTokens);
    requireNonNegative("acceptedPredictionTokens", acceptedPredictionTokens);
    requireNonNegative("rejectedPredictionTokens", rejectedPredictionTokens);
  }

  /** Prompt and completion tokens only; every detail count is zero. */
  public static TokenUsage of(long promptTokens, long completionTokens) {
    return builder().promptTokens(promptTokens).completionTokens(completionTokens).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code promptTokens + completionTokens}, as OpenAI computes {@code total_tokens}. */
  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  public Builder toBuilder() {
    return new Builder()
        .promptTokens(promptTokens)
        .cachedTokens(cachedTokens)
        .cacheWriteTokens(cacheWriteTokens)
        .promptAudioTokens(promptAudioTokens)
        .completionTokens(completionTokens)
        .reasoningTokens(reasoningTokens)
        .completionAudioTokens(completionAudioTokens)
        .acceptedPredictionTokens(acceptedPredictionTokens)
        .rejectedPredictionTokens(rejectedPredictionTokens);
  }

  private static void requireNonNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + value);
    }
  }

  /** Builder for {@link TokenUsage}; every count defaults to zero. */
  public static final class Builder {
    private long promptTokens;
    private long cachedTokens;
    private long cacheWriteTokens;
    private long promptAudioTokens;
    private long completionTokens;
    private long reasoningTokens;
    private long completionAudioTokens;
    private long acceptedPredictionTokens;
    private long rejectedPredictionTokens;

    private Builder() {}

    public Builder promptTokens(long value) {
      this.promptTokens = value;
      return this;
    }

    public Builder cachedTokens(long value) {
      this.cachedTokens = value;
      return this;
    }

    public Builder cacheWriteTokens(long value) {
      this.cacheWriteTokens = value;
      return this;
    }

    public Builder promptAudioTokens(long value) {
      this.promptAudioTokens = value;
      return this;
    }

    public Builder completionTokens(long value) {
      this.completionTokens = value;
      return this;
    }

    public Builder reasoningTokens(long value) {
      this.reasoningTokens = value;
      return this;
    }

    public Builder completionAudioTokens(long value) {
      this.completionAudioTokens = value;
      return this;
    }

    public Builder acceptedPredictionTokens(long value) {
      this.acceptedPredictionTokens = value;
      return this;
    }

    public Builder rejectedPredictionTokens(long value) {
      this.rejectedPredictionTokens = value;
      return this;
    }

    public TokenUsage build() {
      return new TokenUsage(
          promptTokens,
          cachedTokens,
          cacheWriteTokens,
          promptAudioTokens,
          completionTokens,
          reasoningTokens,
          completionAudioTokens,
          acceptedPredictionTokens,
          rejectedPredictionTokens);
    }
  }
}
