package dev.aicost.javaagent.instrumentation.otelapi;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code W3CBaggagePropagator.inject(Context, carrier, setter)} of the application's OpenTelemetry: inject the
 * context with aicost's attribution in its baggage. Typed as {@code Object} so that the advice names no
 * OpenTelemetry class (the agent's own copy is relocated; the helper is mapped back to the application's).
 */
final class BaggageInjectAdvice {

  private BaggageInjectAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(
      @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object context) {
    context = ApplicationBaggageInjection.withAttribution(context);
  }
}
