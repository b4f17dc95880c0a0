package dev.aicost.javaagent.instrumentation.common;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Wraps an SDK's future so that the call sees its outcome: the result is passed through {@code onResult} (which
 * may wrap it), a failure to {@code onFailure}, and a cancellation by the application is forwarded to the SDK's
 * future and reported to {@code onCancel}. Metering never changes what the application receives. JDK types only.
 */
public final class ObservedFutures {

  private ObservedFutures() {}

  public static CompletableFuture<Object> observe(
      CompletableFuture<?> future,
      Function<Object, Object> onResult,
      Consumer<Throwable> onFailure,
      Runnable onCancel) {
    CompletableFuture<Object> wrapped = new CompletableFuture<>();
    future.whenComplete(
        (response, error) -> {
          if (error != null) {
            try {
              onFailure.accept(error);
            } catch (Throwable ignored) {
              // metering must not change what the application sees
            }
            wrapped.completeExceptionally(error);
            return;
          }
          Object result = response;
          try {
            result = onResult.apply(response);
          } catch (Throwable t) {
            result = response;
          }
          wrapped.complete(result);
        });
    wrapped.whenComplete(
        (response, error) -> {
          if (error instanceof CancellationException) {
            future.cancel(false);
            try {
              onCancel.run();
            } catch (Throwable ignored) {
              // metering must not change what the application sees
            }
          }
        });
    return wrapped;
  }
}
