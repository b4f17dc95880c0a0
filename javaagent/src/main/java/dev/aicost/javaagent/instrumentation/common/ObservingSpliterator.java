package dev.aicost.javaagent.instrumentation.common;

import java.util.Spliterator;
import java.util.function.Consumer;

/**
 * Passes each element to the application after showing it to a {@link StreamObserver}; reports the end of the
 * source and its failure. Failures of the application's own consumer are not the stream's and are not reported.
 * Shared by the instrumentations of the Stainless-generated SDKs (openai-java, anthropic-java): JDK types only.
 */
public final class ObservingSpliterator<T> implements Spliterator<T>, Consumer<T> {

  private final Spliterator<T> source;
  private final StreamObserver call;
  private T current;
  private boolean done;

  public ObservingSpliterator(Spliterator<T> source, StreamObserver call) {
    this.source = source;
    this.call = call;
  }

  @Override
  public void accept(T value) {
    current = value;
  }

  @Override
  public boolean tryAdvance(Consumer<? super T> action) {
    if (done) {
      return false;
    }
    boolean advanced;
    try {
      advanced = source.tryAdvance(this);
    } catch (RuntimeException | Error e) {
      done = true;
      call.onStreamError(e);
      throw e;
    }
    if (!advanced) {
      done = true;
      call.onStreamComplete();
      return false;
    }
    T value = current;
    current = null;
    call.onStreamItem(value);
    action.accept(value);
    return true;
  }

  @Override
  public Spliterator<T> trySplit() {
    return null;
  }

  @Override
  public long estimateSize() {
    return Long.MAX_VALUE;
  }

  @Override
  public int characteristics() {
    return ORDERED | NONNULL;
  }
}
