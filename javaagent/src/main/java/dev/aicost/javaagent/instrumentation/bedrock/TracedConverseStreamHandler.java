package dev.aicost.javaagent.instrumentation.bedrock;

import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;

/** The application's ConverseStream handler, with every event shown to aicost first. */
final class TracedConverseStreamHandler extends TracedStreamHandler<ConverseStreamResponse, ConverseStreamOutput>
    implements ConverseStreamResponseHandler {

  TracedConverseStreamHandler(ConverseStreamResponseHandler delegate, StreamObserver observer) {
    super(delegate, observer);
    observer.converse();
  }
}
