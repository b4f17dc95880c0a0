package dev.aicost.javaagent.instrumentation.genai;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * google-genai 1.x: inlined into {@code ResponseStream.ResponseStreamIterator.next()}, which reads one element of
 * the stream's HTTP body and reads the next event ahead into {@code nextJson}: {@code null} there means the body has
 * ended.
 */
final class GenAiStreamNextAdvice {

  private GenAiStreamNextAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.FieldValue("this$0") Object stream,
      @Advice.FieldValue("nextJson") String nextJson,
      @Advice.Thrown Throwable error,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object element) {
    GenAiCall.onStreamElement(stream, element, error, nextJson == null);
  }
}
