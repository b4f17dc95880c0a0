package dev.aicost.javaagent.instrumentation.bedrock;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The execution interceptor aicost adds to every Bedrock Runtime client. One aicost call spans one SDK execution:
 * it starts in {@code beforeExecution} (on the caller's thread, so the caller's attribution applies) and ends in
 * {@code afterExecution} or {@code onExecutionFailure}, which the SDK calls once per execution, outside its retry
 * loop. Retried attempts (throttling, 5xx, I/O errors) happen between those hooks, in {@code beforeTransmission} /
 * {@code afterTransmission}, and are not billed by Bedrock; the one attempt that returned a model response is. So one
 * span stands for the one billed invocation, and a call that exhausts its retries is one failed span.
 *
 * <p>Streaming operations end when their event stream does (see {@link BedrockAsync}). Per-call state lives in the
 * execution's {@link ExecutionAttributes}; every hook is guarded so that nothing is thrown into the SDK.
 */
public final class AiCostBedrockInterceptor implements ExecutionInterceptor {

  static final AiCostBedrockInterceptor INSTANCE = new AiCostBedrockInterceptor();

  static final ExecutionAttribute<BedrockCall> CALL = new ExecutionAttribute<>("aicost.bedrock.call");

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    try {
      if (attributes.getAttribute(CALL) != null) {
        return; // a second aicost interceptor on the same client (registered twice): count once
      }
      BedrockCall call = BedrockCall.start(context.request(), attributes);
      if (call == null) {
        return;
      }
      attributes.putAttribute(CALL, call);
      BedrockAsync.started(call);
    } catch (Throwable ignored) {
      // never thrown into the SDK
    }
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    try {
      BedrockCall call = attributes.getAttribute(CALL);
      if (call != null) {
        call.onResponse(context.response(), context.httpResponse());
      }
    } catch (Throwable ignored) {
      // never thrown into the SDK
    }
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    try {
      BedrockCall call = attributes.getAttribute(CALL);
      if (call != null) {
        call.fail(context.exception());
      }
    } catch (Throwable ignored) {
      // never thrown into the SDK
    }
  }
}
