package dev.aicost.bootstrap;

/**
 * Reads what a provider's response object reports (identity, finish reasons, usage) into an {@link AiCallHandle}.
 * Given to {@link AiCallHandle#endReading(Object, ResponseReader)}, it may run after the call ended and on another
 * thread (aicost's recorder thread), so it must only read the response, and the response must not change once the
 * call ended: client SDKs' parsed response objects are immutable. Instrumentation keeps one stateless instance per
 * response type, so that ending a call this way allocates nothing.
 *
 * @param <R> the response type
 */
@FunctionalInterface
public interface ResponseReader<R> {

  /**
   * Reports what {@code response} says into {@code handle}. Anything it throws (a field the provider left out, a
   * getter that a library version no longer has) keeps what was reported before it and marks the usage
   * {@code invalid_usage}; it never reaches the thread that reads.
   */
  void read(AiCallHandle handle, R response);

  /**
   * Runs {@link #read} as every caller must: what it throws marks the usage {@link AiCallHandle#INVALID_USAGE} and
   * goes no further, whether it is a {@link RuntimeException} (a field the provider left out, an OpenAI-compatible
   * server, say) or an {@link Error} (a getter the library version in use no longer has).
   */
  default void readSafely(AiCallHandle handle, R response) {
    try {
      read(handle, response);
    } catch (Throwable e) {
      handle.usageUnavailable(AiCallHandle.INVALID_USAGE);
    }
  }
}
