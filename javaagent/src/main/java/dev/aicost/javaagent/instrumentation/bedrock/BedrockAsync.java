package dev.aicost.javaagent.instrumentation.bedrock;

import dev.aicost.javaagent.instrumentation.common.Causes;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;

/**
 * What the interceptor cannot see of an async call: the future the application may cancel, and the event stream
 * that a streaming operation delivers to the application's response handler.
 *
 * <p>Advice on the async client's four methods opens a {@link Pending} on entry (for streams, with the application's
 * handler wrapped); the SDK then runs {@code beforeExecution} synchronously on the same thread, where the interceptor
 * hands the new call to it ({@link #started}); on exit the advice attaches the call to the returned future and
 * closes the pending scope. Synchronous calls open no scope and are untouched.
 */
public final class BedrockAsync {

  private static final ThreadLocal<Pending> PENDING = new ThreadLocal<>();

  private BedrockAsync() {}

  /** The state between the advice's entry and exit. */
  static final class Pending {
    final StreamObserver observer;
    BedrockCall call;

    Pending(StreamObserver observer) {
      this.observer = observer;
    }
  }

  /** Advice entry of {@code converse} / {@code invokeModel}. */
  public static void enter() {
    try {
      PENDING.set(new Pending(null));
    } catch (Throwable ignored) {
      // never thrown into the application
    }
  }

  /** Advice entry of {@code converseStream} / {@code invokeModelWithResponseStream}: the handler to pass on. */
  public static Object enterStream(Object handler) {
    try {
      if (handler instanceof TracedConverseStreamHandler || handler instanceof TracedInvokeStreamHandler) {
        PENDING.set(new Pending(null));
        return handler;
      }
      StreamObserver observer = new StreamObserver();
      Object wrapped;
      if (handler instanceof ConverseStreamResponseHandler) {
        wrapped = new TracedConverseStreamHandler((ConverseStreamResponseHandler) handler, observer);
      } else if (handler instanceof InvokeModelWithResponseStreamResponseHandler) {
        wrapped = new TracedInvokeStreamHandler((InvokeModelWithResponseStreamResponseHandler) handler, observer);
      } else {
        PENDING.set(new Pending(null));
        return handler;
      }
      PENDING.set(new Pending(observer));
      return wrapped;
    } catch (Throwable t) {
      return handler;
    }
  }

  /** {@code beforeExecution} of a call: binds it to the async method it runs in, if any. */
  static void started(BedrockCall call) {
    Pending pending = PENDING.get();
    if (pending != null && pending.call == null) {
      pending.call = call;
      if (pending.observer != null && call.isStream()) {
        pending.observer.bind(call);
      }
    }
  }

  /**
   * Advice exit: a cancellation of the returned future by the application ends the call as cancelled (the SDK
   * aborts the request without an {@code onExecutionFailure}).
   */
  public static void exit(Object result) {
    Pending pending = PENDING.get();
    PENDING.remove();
    try {
      if (pending != null && pending.call != null && result instanceof CompletableFuture) {
        BedrockCall call = pending.call;
        ((CompletableFuture<?>) result).whenComplete((value, error) -> {
          if (error != null && Causes.unwrap(error) instanceof java.util.concurrent.CancellationException) {
            call.fail(error);
          }
        });
      }
    } catch (Throwable ignored) {
      // never thrown into the application
    }
  }
}
