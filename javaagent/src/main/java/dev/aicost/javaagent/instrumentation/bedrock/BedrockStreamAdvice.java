package dev.aicost.javaagent.instrumentation.bedrock;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into the async client's {@code converseStream(request, handler)} and
 * {@code invokeModelWithResponseStream(request, handler)}: wraps the application's handler so that the stream's
 * events are observed, and watches the returned future for cancellation (see {@link BedrockAsync}).
 */
final class BedrockStreamAdvice {

  private BedrockStreamAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(
      @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object handler) {
    handler = BedrockAsync.enterStream(handler);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result) {
    BedrockAsync.exit(result);
  }
}
