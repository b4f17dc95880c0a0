package dev.aicost.javaagent.instrumentation.bedrock;

import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;

/**
 * Observes the event streams of {@code converseStream} and {@code invokeModelWithResponseStream}. The advice on the
 * async client wraps the application's response handler on entry; the SDK then runs {@code beforeExecution}
 * synchronously on the same thread, where the interceptor binds the new call to that wrapper through a thread-local
 * that the advice clears on exit. The wrapper sees each event before the application does, and ends the call on the
 * stream's completion, failure or cancellation by the application.
 */
public final class BedrockStreams {

  private static final ThreadLocal<StreamObserver> PENDING = new ThreadLocal<>();

  private BedrockStreams() {}

  /** Advice entry of {@code converseStream} / {@code invokeModelWithResponseStream}: the handler to pass on. */
  public static Object wrap(Object handler) {
    try {
      StreamObserver observer = new StreamObserver();
      Object wrapped;
      if (handler instanceof TracedConverseStreamHandler || handler instanceof TracedInvokeStreamHandler) {
        return handler;
      } else if (handler instanceof ConverseStreamResponseHandler) {
        wrapped = new TracedConverseStreamHandler((ConverseStreamResponseHandler) handler, observer);
      } else if (handler instanceof InvokeModelWithResponseStreamResponseHandler) {
        wrapped = new TracedInvokeStreamHandler((InvokeModelWithResponseStreamResponseHandler) handler, observer);
      } else {
        return handler;
      }
      PENDING.set(observer);
      return wrapped;
    } catch (Throwable t) {
      return handler;
    }
  }

  /** Advice exit: forget an observer that no execution claimed (the call failed before {@code beforeExecution}). */
  public static void clearPending() {
    PENDING.remove();
  }

  /** {@code beforeExecution} of a streaming operation: hands the call to the wrapper created for it. */
  static void bindPending(BedrockCall call) {
    StreamObserver observer = PENDING.get();
    if (observer != null) {
      PENDING.remove();
      observer.bind(call);
    }
  }
}
