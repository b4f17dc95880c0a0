package dev.aicost.javaagent.instrumentation.common;

/**
 * What an instrumented call learns from a streamed response as the application reads it. Implementations never
 * throw: every callback is guarded, since it runs on the application's thread.
 */
public interface StreamObserver {

  /** One element, before the application sees it. */
  void onStreamItem(Object item);

  /** The source reported its end. */
  void onStreamComplete();

  /** The source failed (the failure is then rethrown to the application unchanged). */
  void onStreamError(Throwable error);
}
