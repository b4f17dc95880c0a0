package dev.aicost.javaagent.instrumentation.costcenter;

import dev.aicost.bootstrap.AttributionContext;
import dev.aicost.bootstrap.AttributionScope;
import net.bytebuddy.asm.Advice;

/** Inlined into every {@code @CostCenter} method: open the scope on entry, close it on any exit. */
final class CostCenterAdvice {

  private CostCenterAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static AttributionScope enter(@CostCenterSpec String spec) {
    return AttributionContext.openSpec(spec);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter AttributionScope scope) {
    if (scope != null) {
      scope.close();
    }
  }
}
