package dev.aicost.javaagent.instrumentation.bedrock;

import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;

/** The application's InvokeModelWithResponseStream handler, with every event shown to aicost first. */
final class TracedInvokeStreamHandler
    extends TracedStreamHandler<InvokeModelWithResponseStreamResponse, ResponseStream>
    implements InvokeModelWithResponseStreamResponseHandler {

  TracedInvokeStreamHandler(InvokeModelWithResponseStreamResponseHandler delegate, StreamObserver observer) {
    super(delegate, observer);
  }
}
