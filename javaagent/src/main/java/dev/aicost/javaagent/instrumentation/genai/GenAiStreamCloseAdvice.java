package dev.aicost.javaagent.instrumentation.genai;

import net.bytebuddy.asm.Advice;

/** Inlined into {@code ResponseStream.close()}: a stream closed before its body ended is reported as such. */
final class GenAiStreamCloseAdvice {

  private GenAiStreamCloseAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This Object stream) {
    GenAiCall.onStreamClosed(stream);
  }
}
