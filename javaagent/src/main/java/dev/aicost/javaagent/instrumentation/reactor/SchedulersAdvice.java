package dev.aicost.javaagent.instrumentation.reactor;

import dev.aicost.bootstrap.TaskAttributions;
import net.bytebuddy.asm.Advice;
import reactor.core.scheduler.Schedulers;

/** At the end of {@code Schedulers}' static initializer: register aicost's schedule hook. */
final class SchedulersAdvice {

  private SchedulersAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit() {
    Schedulers.onScheduleHook("aicost", TaskAttributions.RUNNABLE_DECORATOR);
  }
}
