package dev.aicost.javaagent.instrumentation.concurrent;

import dev.aicost.bootstrap.TaskAttributions;
import net.bytebuddy.asm.Advice;

/**
 * A task that becomes the body of a new thread: {@code CompletableFuture}'s thread-per-task fallback executor (JDK
 * 17 and older on machines with fewer than three cores) and {@code ThreadPerTaskExecutor.newThread} (JDK 21+,
 * {@code Executors.newVirtualThreadPerTaskExecutor()} and {@code newThreadPerTaskExecutor}). The runnable is wrapped:
 * no one can observe its identity there.
 */
final class ThreadBodyAdvice {

  private ThreadBodyAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
    task = TaskAttributions.wrapForThread(task);
  }
}
