package dev.aicost.javaagent.instrumentation.genai;

import net.bytebuddy.asm.Advice;

/**
 * google-genai 2.x: inlined into {@code ResponseStream.ResponseStreamIterator.hasNext()}, which reads the next event
 * lazily: {@code streamEnded} says this stream's own HTTP body has ended (even when a continuation request goes on),
 * and a failure to read the body is thrown here.
 */
final class GenAiStreamHasMoreAdvice {

  private GenAiStreamHasMoreAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.FieldValue("this$0") Object stream,
      @Advice.FieldValue("streamEnded") boolean streamEnded,
      @Advice.Thrown Throwable error) {
    if (error != null) {
      GenAiCall.onStreamElement(stream, null, error, false);
    } else if (streamEnded) {
      GenAiCall.onStreamExhausted(stream);
    }
  }
}
