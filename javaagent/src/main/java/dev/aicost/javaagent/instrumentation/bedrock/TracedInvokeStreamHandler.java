package dev.aicost.javaagent.instrumentation.bedrock;

import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;

/** The application's InvokeModelWithResponseStream handler, with every event shown to aicost first. */
final class TracedInvokeStreamHandler implements InvokeModelWithResponseStreamResponseHandler {

  private final InvokeModelWithResponseStreamResponseHandler delegate;
  private final StreamObserver observer;

  TracedInvokeStreamHandler(InvokeModelWithResponseStreamResponseHandler delegate, StreamObserver observer) {
    this.delegate = delegate;
    this.observer = observer;
  }

  @Override
  public void responseReceived(InvokeModelWithResponseStreamResponse response) {
    try {
      observer.onResponse(response);
    } catch (Throwable ignored) {
      // never thrown into the SDK
    }
    delegate.responseReceived(response);
  }

  @Override
  public void onEventStream(SdkPublisher<ResponseStream> publisher) {
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
