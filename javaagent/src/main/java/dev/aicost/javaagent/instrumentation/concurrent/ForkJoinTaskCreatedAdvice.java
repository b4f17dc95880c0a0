package dev.aicost.javaagent.instrumentation.concurrent;

import dev.aicost.bootstrap.TaskAttributions;
import net.bytebuddy.asm.Advice;

/**
 * The {@code ForkJoinTask} constructor: a task carries the attribution of the code that created it. That is the
 * submitter for {@code ForkJoinPool.submit/execute/invoke}, the parent task for the subtasks a parallel stream or a
 * {@code RecursiveTask} forks (they are created while the parent runs with its attribution), and the code that
 * declared a {@code CompletableFuture} async stage.
 */
final class ForkJoinTaskCreatedAdvice {

  private ForkJoinTaskCreatedAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(@Advice.This Object task) {
    TaskAttributions.attachNew(task);
  }
}
