package dev.aicost.javaagent.instrumentation.concurrent;

import dev.aicost.bootstrap.TaskAttributions;
import net.bytebuddy.asm.Advice;

/**
 * {@code ScheduledThreadPoolExecutor.delayedExecute(task)}, where every {@code schedule*}, {@code submit} and
 * {@code execute} of a scheduled pool ends: the scheduled task carries the submitter's attribution, for each of its
 * runs when it is periodic.
 */
final class AttachArgumentAdvice {

  private AttachArgumentAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.Argument(0) Object task) {
    TaskAttributions.attach(task);
  }
}
