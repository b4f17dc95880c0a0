package dev.aicost.javaagent.instrumentation.bedrock;

import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;

/** The application's ConverseStream handler, with every event shown to aicost first. */
final class TracedConverseStreamHandler implements ConverseStreamResponseHandler {

  private final ConverseStreamResponseHandler delegate;
  private final StreamObserver observer;

  TracedConverseStreamHandler(ConverseStreamResponseHandler delegate, StreamObserver observer) {
    this.delegate = delegate;
    this.observer = observer;
    observer.converse();
  }

  @Override
  public void responseReceived(ConverseStreamResponse response) {
    try {
      observer.onResponse(response);
    } catch (Throwable ignored) {
      // never thrown into the SDK
    }
    delegate.responseReceived(response);
  }

  @Override
  public void onEventStream(SdkPublisher<ConverseStreamOutput> publisher) {
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
