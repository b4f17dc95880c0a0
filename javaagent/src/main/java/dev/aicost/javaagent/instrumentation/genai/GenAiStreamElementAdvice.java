package dev.aicost.javaagent.instrumentation.genai;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into the method of {@code ResponseStream.ResponseStreamIterator} that reads one element from the stream's
 * own HTTP body: {@code readCurrent()} where it exists (google-genai 2.x, whose {@code next()} may hand out elements
 * of the continuation requests that follow), else {@code next()}. {@code nextJson} is the event read ahead: when it
 * is {@code null}, the body has ended.
 */
final class GenAiStreamElementAdvice {

  private GenAiStreamElementAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.FieldValue("this$0") Object stream,
      @Advice.FieldValue("nextJson") String nextJson,
      @Advice.Thrown Throwable error,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object element) {
    GenAiCall.onStreamElement(stream, element, error, nextJson == null);
  }
}
