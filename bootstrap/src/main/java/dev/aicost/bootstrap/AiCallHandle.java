package dev.aicost.bootstrap;

/**
 * One AI call in flight. Instrumentation reports what the response says, then ends the call exactly once with
 * {@link #end()}, {@link #fail(Throwable, String)} or {@link #cancel(String)}; every call after the first end is ignored, so
 * racing completion paths (last chunk, early close, cancellation) are safe.
 *
 * <p>Token counts follow aicost's normalized convention: {@code input} is all input tokens (cached ones included),
 * cache reads and writes are parts of it; {@code output} is all output tokens, reasoning included.
 */
public interface AiCallHandle {

  AiCallHandle responseModel(String model);

  AiCallHandle responseId(String id);

  AiCallHandle finishReason(String reason);

  /** The service tier the provider reports having used; it wins over the requested one for pricing. */
  AiCallHandle responseServiceTier(String tier);

  /** Normalized total input and output tokens. */
  AiCallHandle usage(long inputTokens, long outputTokens);

  AiCallHandle cacheReadTokens(long tokens);

  AiCallHandle cacheWrite5mTokens(long tokens);

  AiCallHandle cacheWrite1hTokens(long tokens);

  AiCallHandle reasoningTokens(long tokens);

  AiCallHandle audioInputTokens(long tokens);

  AiCallHandle audioOutputTokens(long tokens);

  AiCallHandle imageInputTokens(long tokens);

  /** Billable per-request tool calls such as web searches. */
  AiCallHandle webSearchCalls(long calls);

  /** Says that the response carries no usage, and why; the call is then reported as not priced. */
  AiCallHandle usageUnavailable(String reason);

  /** Ends the call normally. */
  void end();

  /**
   * Ends the call normally with what {@code reader} reads from {@code response}. The reading may be deferred to the
   * thread that completes the call (aicost's recorder thread when calls complete in the background), which takes
   * reading the provider's response object off the application's thread; the response must therefore not change
   * after this call (see {@link ResponseReader}). If the call had already ended, nothing is read.
   *
   * <p>This default reads at once, then ends.
   */
  default <R> void endReading(R response, ResponseReader<? super R> reader) {
    reader.readSafely(this, response);
    end();
  }

  /** The reason {@link #usageUnavailable} gives when a {@link ResponseReader} failed half-way. */
  String INVALID_USAGE = "invalid_usage";

  /**
   * Ends the call with an error.
   *
   * @param errorType {@code error.type}: the HTTP status code when the provider answered with one (as the
   *     OpenTelemetry conventions ask), else {@code null} to use the exception's class name
   */
  void fail(Throwable error, String errorType);

  /** Ends the call because the caller gave up on it (cancelled future, stream closed early). */
  void cancel(String reason);

  /** A handle that ignores everything; used when nothing is installed. */
  AiCallHandle NOOP = new NoopAiCallHandle();
}
