package dev.aicost.javaagent.instrumentation.anthropic;

import dev.aicost.javaagent.internal.MethodName;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code create(params, requestOptions)} and {@code createStreaming(params, requestOptions)} of the
 * raw-response Messages services (GA and beta). Everything it does is in {@link AnthropicCall}, defined next to
 * anthropic-java; a throwable from aicost is suppressed here and never reaches the application.
 */
final class AnthropicCreateAdvice {

  private AnthropicCreateAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(
      @Advice.Argument(0) Object params,
      @Advice.FieldValue("clientOptions") Object clientOptions,
      @MethodName String method) {
    return AnthropicCall.start(params, clientOptions, method);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter Object call,
      @Advice.Thrown Throwable error,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result) {
    if (call != null) {
      result = AnthropicCall.onReturn(call, result, error);
    }
  }
}
