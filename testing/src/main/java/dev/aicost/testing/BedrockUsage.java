package dev.aicost.testing;

/**
 * Token counts for a scripted {@link MockBedrockServer} reply, in Bedrock's own convention: {@code inputTokens} are
 * the input tokens that were neither read from nor written to the prompt cache, so the total input of a call is
 * {@code inputTokens + cacheReadInputTokens + cacheWriteInputTokens} (as the Bedrock prompt-caching documentation
 * states, and as Anthropic's API counts).
 *
 * <p>How the numbers appear on the wire:
 *
 * <ul>
 *   <li>Converse / ConverseStream {@code usage}: {@code inputTokens}, {@code outputTokens}, {@code totalTokens} (all
 *       four added up) and, when a cache count is non-zero, {@code cacheReadInputTokens}, {@code
 *       cacheWriteInputTokens} and {@code cacheDetails} (the writes per TTL: {@code 1h} first, then {@code 5m}).
 *   <li>InvokeModel: the headers {@code X-Amzn-Bedrock-Input-Token-Count}, {@code -Output-Token-Count}, {@code
 *       -Cache-Read-Input-Token-Count} and {@code -Cache-Write-Input-Token-Count}, and the model family's own body
 *       (Anthropic {@code usage.input_tokens}, {@code cache_read_input_tokens}, {@code cache_creation_input_tokens}
 *       with {@code cache_creation.ephemeral_5m/1h_input_tokens}; Nova {@code usage.inputTokens}; Titan {@code
 *       inputTextTokenCount}; Llama {@code prompt_token_count}; ...).
 *   <li>InvokeModelWithResponseStream: the last chunk's {@code amazon-bedrock-invocationMetrics} ({@code
 *       inputTokenCount}, {@code outputTokenCount}), plus the family's own stream usage (Anthropic's {@code
 *       message_start} and {@code message_delta}).
 * </ul>
 *
 * @param inputTokens uncached input tokens
 * @param outputTokens output tokens
 * @param cacheReadInputTokens input tokens read from the cache
 * @param cacheWriteInputTokens input tokens written to the cache (both TTLs)
 * @param cacheWrite1hInputTokens the part of {@code cacheWriteInputTokens} written with the 1-hour TTL
 */
public record BedrockUsage(
    long inputTokens,
    long outputTokens,
    long cacheReadInputTokens,
    long cacheWriteInputTokens,
    long cacheWrite1hInputTokens) {

  public BedrockUsage {
    if (inputTokens < 0 || outputTokens < 0 || cacheReadInputTokens < 0 || cacheWriteInputTokens < 0
        || cacheWrite1hInputTokens < 0) {
      throw new IllegalArgumentException("token counts must be >= 0");
    }
    if (cacheWrite1hInputTokens > cacheWriteInputTokens) {
      throw new IllegalArgumentException(
          "cacheWrite1hInputTokens (" + cacheWrite1hInputTokens + ") is part of cacheWriteInputTokens ("
              + cacheWriteInputTokens + ")");
    }
  }

  /** No prompt caching. */
  public static BedrockUsage of(long inputTokens, long outputTokens) {
    return new BedrockUsage(inputTokens, outputTokens, 0, 0, 0);
  }

  /** With cache reads and 5-minute cache writes. */
  public static BedrockUsage cached(long inputTokens, long outputTokens, long cacheRead, long cacheWrite) {
    return new BedrockUsage(inputTokens, outputTokens, cacheRead, cacheWrite, 0);
  }

  /** The same counts with {@code tokens} of the cache writes made with the 1-hour TTL. */
  public BedrockUsage withCacheWrite1h(long tokens) {
    return new BedrockUsage(inputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens, tokens);
  }

  /** Cache writes with the default 5-minute TTL. */
  public long cacheWrite5mInputTokens() {
    return cacheWriteInputTokens - cacheWrite1hInputTokens;
  }

  /** All input tokens: uncached, cache reads and cache writes. */
  public long totalInputTokens() {
    return inputTokens + cacheReadInputTokens + cacheWriteInputTokens;
  }

  /** {@code totalTokens} as Bedrock reports it: every input token plus the output. */
  public long totalTokens() {
    return totalInputTokens() + outputTokens;
  }

  boolean hasCache() {
    return cacheReadInputTokens > 0 || cacheWriteInputTokens > 0;
  }
}
