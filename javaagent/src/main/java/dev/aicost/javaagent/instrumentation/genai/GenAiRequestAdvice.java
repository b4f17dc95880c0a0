package dev.aicost.javaagent.instrumentation.genai;

import dev.aicost.javaagent.internal.MethodName;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code privateGenerateContent}, {@code privateGenerateContentStream} and {@code privateEmbedContent}
 * of {@code Models} and {@code AsyncModels}: each invocation sends exactly one HTTP request (the SDK's own retries
 * happen below, in its HTTP client). Everything it does is in {@link GenAiCall}, defined next to google-genai; a
 * throwable from aicost is suppressed here and never reaches the application.
 */
final class GenAiRequestAdvice {

  private GenAiRequestAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(
      @Advice.FieldValue("apiClient") Object apiClient,
      @MethodName String method,
      @Advice.AllArguments Object[] args) {
    return GenAiCall.start(apiClient, method, args);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter Object call,
      @Advice.Thrown Throwable error,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result) {
    if (call != null) {
      result = GenAiCall.onReturn(call, result, error);
    }
  }
}
