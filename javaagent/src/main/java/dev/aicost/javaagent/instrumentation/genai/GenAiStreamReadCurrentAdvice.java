package dev.aicost.javaagent.instrumentation.genai;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * google-genai 2.x: inlined into {@code ResponseStream.ResponseStreamIterator.readCurrent()}, which parses one
 * element of this stream's own HTTP body ({@code next()} may instead hand out an element of a continuation request
 * that follows, whose own iterator reads it). An error event in the body throws here.
 */
final class GenAiStreamReadCurrentAdvice {

  private GenAiStreamReadCurrentAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.FieldValue("this$0") Object stream,
      @Advice.Thrown Throwable error,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object element) {
    GenAiCall.onStreamElement(stream, element, error, false);
  }
}
