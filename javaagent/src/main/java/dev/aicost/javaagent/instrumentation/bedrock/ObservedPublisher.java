package dev.aicost.javaagent.instrumentation.bedrock;

import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.SdkPublisher;

/**
 * The event publisher handed to the application: each event is shown to aicost before the application's
 * subscriber gets it; the end of the stream, its failure and the application's cancellation are reported.
 */
final class ObservedPublisher<T> implements SdkPublisher<T> {

  private final SdkPublisher<T> source;
  private final StreamObserver observer;

  ObservedPublisher(SdkPublisher<T> source, StreamObserver observer) {
    this.source = source;
    this.observer = observer;
  }

  @Override
  public void subscribe(Subscriber<? super T> subscriber) {
    source.subscribe(new ObservedSubscriber<>(subscriber, observer));
  }

  /** Sits between the SDK's publisher and the application's subscriber. */
  static final class ObservedSubscriber<T> implements Subscriber<T>, Subscription {
    private final Subscriber<? super T> downstream;
    private final StreamObserver observer;
    private volatile Subscription upstream;

    ObservedSubscriber(Subscriber<? super T> downstream, StreamObserver observer) {
      this.downstream = downstream;
      this.observer = observer;
    }

    @Override
    public void onSubscribe(Subscription subscription) {
      this.upstream = subscription;
      downstream.onSubscribe(this);
    }

    @Override
    public void onNext(T event) {
      try {
        observer.onEvent(event);
      } catch (Throwable ignored) {
        // never thrown into the SDK
      }
      downstream.onNext(event);
    }

    @Override
    public void onError(Throwable error) {
      try {
        observer.onError(error);
      } catch (Throwable ignored) {
        // never thrown into the SDK
      }
      downstream.onError(error);
    }

    @Override
    public void onComplete() {
      try {
        observer.onComplete();
      } catch (Throwable ignored) {
        // never thrown into the SDK
      }
      downstream.onComplete();
    }

    @Override
    public void request(long n) {
      upstream.request(n);
    }

    @Override
    public void cancel() {
      try {
        observer.onCancel();
      } catch (Throwable ignored) {
        // never thrown into the application
      }
      upstream.cancel();
    }
  }
}
