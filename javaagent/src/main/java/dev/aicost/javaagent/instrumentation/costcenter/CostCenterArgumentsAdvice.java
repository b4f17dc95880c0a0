package dev.aicost.javaagent.instrumentation.costcenter;

import dev.aicost.bootstrap.AttributionContext;
import dev.aicost.bootstrap.AttributionScope;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into methods with {@code @CostAttribute} parameters: the scope takes values from the arguments. Only these
 * methods pay for the argument array; others get {@link CostCenterAdvice}.
 */
final class CostCenterArgumentsAdvice {

  private CostCenterArgumentsAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static AttributionScope enter(
      @CostCenterSpec String spec,
      @CostAttributeBindings String bindings,
      @Advice.AllArguments Object[] arguments) {
    return AttributionContext.openSpec(spec, bindings, arguments);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter AttributionScope scope) {
    if (scope != null) {
      scope.close();
    }
  }
}
