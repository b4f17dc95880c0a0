package dev.aicost.javaagent.instrumentation.bedrock;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into the async client's {@code converse(request)} and {@code invokeModel(request)}: watches the returned
 * future for cancellation by the application (see {@link BedrockAsync}).
 */
final class BedrockAsyncAdvice {

  private BedrockAsyncAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter() {
    BedrockAsync.enter();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result) {
    BedrockAsync.exit(result);
  }
}
