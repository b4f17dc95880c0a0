package dev.aicost.javaagent.instrumentation.concurrent;

import dev.aicost.bootstrap.TaskAttributions;
import net.bytebuddy.asm.Advice;

/**
 * {@code ThreadBuilders.newVirtualThread(scheduler, name, characteristics, task)} (JDK 21+), where
 * {@code Thread.ofVirtual().start(r)}, {@code Thread.startVirtualThread(r)} and virtual-thread executors all create a
 * virtual thread (or, without continuation support, its platform-thread stand-in) with the task as its body. A
 * virtual thread is a task, not a pool thread, so it carries its creator's attribution. A virtual thread constructed
 * reflectively, bypassing {@code ThreadBuilders}, is not covered.
 */
final class VirtualThreadAdvice {

  private VirtualThreadAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.Argument(value = 3, readOnly = false) Runnable task) {
    task = TaskAttributions.wrapForThread(task);
  }
}
