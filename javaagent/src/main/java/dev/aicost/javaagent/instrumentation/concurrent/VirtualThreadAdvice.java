package dev.aicost.javaagent.instrumentation.concurrent;

import dev.aicost.bootstrap.TaskAttributions;
import net.bytebuddy.asm.Advice;

/**
 * The {@code java.lang.VirtualThread} constructor (JDK 21+): {@code Thread.ofVirtual().start(r)},
 * {@code Thread.startVirtualThread(r)} and virtual-thread executors all create one with the task as its body. A
 * virtual thread is a task, not a pool thread, so it carries its creator's attribution.
 */
final class VirtualThreadAdvice {

  private VirtualThreadAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.Argument(value = 3, readOnly = false) Runnable task) {
    task = TaskAttributions.wrapForThread(task);
  }
}
