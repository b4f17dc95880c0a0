package dev.aicost.javaagent.instrumentation.genai;

import net.bytebuddy.asm.Advice;

/** google-genai 1.x: inlined into {@code ResponseStream.ResponseStreamIterator.hasNext()}; {@code false} ends the call. */
final class GenAiStreamHasNextAdvice {

  private GenAiStreamHasNextAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(@Advice.FieldValue("this$0") Object stream, @Advice.Return boolean more) {
    if (!more) {
      GenAiCall.onStreamExhausted(stream);
    }
  }
}
