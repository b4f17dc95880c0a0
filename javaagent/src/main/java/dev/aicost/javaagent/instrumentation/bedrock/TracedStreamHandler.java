package dev.aicost.javaagent.instrumentation.bedrock;

import software.amazon.awssdk.awscore.eventstream.EventStreamResponseHandler;
import software.amazon.awssdk.core.async.SdkPublisher;

/**
 * An application's event-stream handler with the response, every event and the outcome shown to aicost first. The
 * subclasses only add the operation's handler interface (ConverseStream, InvokeModelWithResponseStream).
 */
abstract class TracedStreamHandler<R, E> implements EventStreamResponseHandler<R, E> {

  private final EventStreamResponseHandler<R, E> delegate;
  private final StreamObserver observer;

  TracedStreamHandler(EventStreamResponseHandler<R, E> delegate, StreamObserver observer) {
    this.delegate = delegate;
    this.observer = observer;
  }

  @Override
  public void responseReceived(R response) {
    try {
      observer.onResponse(response);
    } catch (Throwable ignored) {
      // never thrown into the SDK
    }
    delegate.responseReceived(response);
  }

  @Override
  public void onEventStream(SdkPublisher<E> publisher) {
    delegate.onEventStream(new ObservedPublisher<>(publisher, observer));
  }

  @Override
  public void exceptionOccurred(Throwable throwable) {
    try {
      observer.onError(throwable);
    } catch (Throwable ignored) {
      // never thrown into the SDK
    }
    delegate.exceptionOccurred(throwable);
  }

  @Override
  public void complete() {
    try {
      observer.onComplete();
    } catch (Throwable ignored) {
      // never thrown into the SDK
    }
    delegate.complete();
  }
}
