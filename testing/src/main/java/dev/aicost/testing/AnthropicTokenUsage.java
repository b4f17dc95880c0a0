package dev.aicost.testing;

/**
 * Token usage as the Anthropic Messages API reports it. Unlike OpenAI's, {@code inputTokens} excludes the prompt
 * cache: a request's whole input is {@code inputTokens + cacheReadInputTokens + cacheCreationInputTokens()}.
 * {@code outputTokens} includes extended thinking.
 *
 * @param inputTokens uncached input tokens ({@code input_tokens})
 * @param cacheReadInputTokens tokens read from the prompt cache ({@code cache_read_input_tokens})
 * @param cacheWrite5mInputTokens tokens written to the 5-minute cache ({@code ephemeral_5m_input_tokens})
 * @param cacheWrite1hInputTokens tokens written to the 1-hour cache ({@code ephemeral_1h_input_tokens})
 * @param outputTokens output tokens, thinking included ({@code output_tokens})
 * @param webSearchRequests server-side web searches ({@code server_tool_use.web_search_requests})
 */
public record AnthropicTokenUsage(
    long inputTokens,
    long cacheReadInputTokens,
    long cacheWrite5mInputTokens,
    long cacheWrite1hInputTokens,
    long outputTokens,
    long webSearchRequests) {

  public AnthropicTokenUsage {
    if (inputTokens < 0 || cacheReadInputTokens < 0 || cacheWrite5mInputTokens < 0 || cacheWrite1hInputTokens < 0
        || outputTokens < 0 || webSearchRequests < 0) {
      throw new IllegalArgumentException("token counts must not be negative: " + this);
    }
  }

  /** Uncached input and output only. */
  public static AnthropicTokenUsage of(long inputTokens, long outputTokens) {
    return new AnthropicTokenUsage(inputTokens, 0, 0, 0, outputTokens, 0);
  }

  /** {@code cache_creation_input_tokens}: all cache writes. */
  public long cacheCreationInputTokens() {
    return cacheWrite5mInputTokens + cacheWrite1hInputTokens;
  }

  /** The whole input: uncached, cache reads and cache writes. */
  public long totalInputTokens() {
    return inputTokens + cacheReadInputTokens + cacheCreationInputTokens();
  }

  public AnthropicTokenUsage withCacheRead(long tokens) {
    return new AnthropicTokenUsage(inputTokens, tokens, cacheWrite5mInputTokens, cacheWrite1hInputTokens,
        outputTokens, webSearchRequests);
  }

  public AnthropicTokenUsage withCacheWrites(long fiveMinutes, long oneHour) {
    return new AnthropicTokenUsage(inputTokens, cacheReadInputTokens, fiveMinutes, oneHour, outputTokens,
        webSearchRequests);
  }

  public AnthropicTokenUsage withWebSearchRequests(long requests) {
    return new AnthropicTokenUsage(inputTokens, cacheReadInputTokens, cacheWrite5mInputTokens,
        cacheWrite1hInputTokens, outputTokens, requests);
  }
}
