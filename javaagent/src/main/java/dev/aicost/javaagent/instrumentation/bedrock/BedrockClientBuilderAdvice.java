package dev.aicost.javaagent.instrumentation.bedrock;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code DefaultBedrockRuntimeBaseClientBuilder.finalizeServiceConfiguration}, where the SDK assembles a
 * Bedrock Runtime client's execution interceptors (sync and async clients alike): adds aicost's interceptor.
 */
final class BedrockClientBuilderAdvice {

  private BedrockClientBuilderAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(@Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object configuration) {
    configuration = BedrockInterceptors.register(configuration);
  }
}
