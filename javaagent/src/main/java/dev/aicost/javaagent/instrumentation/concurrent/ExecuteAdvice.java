package dev.aicost.javaagent.instrumentation.concurrent;

import dev.aicost.bootstrap.TaskAttributions;
import net.bytebuddy.asm.Advice;

/**
 * {@code ThreadPoolExecutor.execute(Runnable)}: the task carries the submitter's attribution. {@code submit},
 * {@code invokeAll} and {@code invokeAny} come here with the {@code FutureTask} they created.
 */
final class ExecuteAdvice {

  private ExecuteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
    task = TaskAttributions.forExecute(task);
  }
}
