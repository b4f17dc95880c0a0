package dev.aicost.javaagent.instrumentation.concurrent;

import dev.aicost.bootstrap.TaskAttributions;
import net.bytebuddy.asm.Advice;

/**
 * {@code ForkJoinTask.doExec()}, where a pool worker (or a thread that joins and helps) runs any fork/join task:
 * the task runs with exactly the attribution it carries, and the thread's own is put back afterwards.
 */
final class ForkJoinTaskExecAdvice {

  private ForkJoinTaskExecAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object task) {
    return TaskAttributions.enter(task);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object token) {
    TaskAttributions.exit(token);
  }
}
