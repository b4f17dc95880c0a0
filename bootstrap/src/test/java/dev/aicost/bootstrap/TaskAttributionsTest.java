package dev.aicost.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TaskAttributionsTest {

  private static Attribution team(String t) {
    return Attribution.builder().team(t).build();
  }

  @Test
  void attachedTaskRunsWithTheSubmittersAttributionAndTheThreadIsRestored() throws Exception {
    AtomicReference<Attribution> seen = new AtomicReference<>();
    Runnable task = () -> seen.set(AttributionContext.current());
    Runnable named = new Named(task);
    try (AttributionScope s = AttributionContext.open(team("a"))) {
      TaskAttributions.attach(named);
    }
    Thread worker =
        new Thread(
            () -> {
              try (AttributionScope own = AttributionContext.open(team("worker"))) {
                TaskAttributions.run(named);
                assertThat(AttributionContext.current().team()).isEqualTo("worker");
              }
            });
    worker.start();
    worker.join();
    assertThat(seen.get().team()).isEqualTo("a");
  }

  @Test
  void aTaskWithoutAttributionRunsWithNoneEvenOnAThreadThatHasOne() {
    AtomicReference<Attribution> seen = new AtomicReference<>();
    Runnable task = new Named(() -> seen.set(AttributionContext.current()));
    TaskAttributions.attach(task); // outside any scope: nothing attached
    try (AttributionScope leaked = AttributionContext.open(team("previous-task"))) {
      TaskAttributions.run(task);
      assertThat(AttributionContext.current().team()).isEqualTo("previous-task");
    }
    assertThat(seen.get()).isSameAs(Attribution.EMPTY);
  }

  @Test
  void aTaskThatLeavesAScopeOpenDoesNotLeakIntoTheNextOne() {
    Runnable leaky = new Named(() -> AttributionContext.open(team("leaked")));
    AtomicReference<Attribution> seen = new AtomicReference<>();
    Runnable next = new Named(() -> seen.set(AttributionContext.current()));
    try (AttributionScope s = AttributionContext.open(team("a"))) {
      TaskAttributions.attach(leaky);
    }
    TaskAttributions.run(leaky);
    TaskAttributions.run(next);
    assertThat(seen.get()).isSameAs(Attribution.EMPTY);
    assertThat(AttributionContext.current()).isSameAs(Attribution.EMPTY);
  }

  @Test
  void resubmittingTheSameObjectReplacesOrClearsWhatItCarries() {
    Runnable task = new Named(() -> {});
    try (AttributionScope s = AttributionContext.open(team("a"))) {
      TaskAttributions.attach(task);
    }
    try (AttributionScope s = AttributionContext.open(team("b"))) {
      TaskAttributions.attach(task);
    }
    assertThat(TaskAttributions.attached(task).team()).isEqualTo("b");
    TaskAttributions.attach(task);
    assertThat(TaskAttributions.attached(task)).isNull();
  }

  @Test
  void lambdasAreWrappedForExecuteBecauseTheyMayBeSharedInstances() {
    Runnable lambda = () -> {};
    Runnable plain = new Named(lambda);
    try (AttributionScope s = AttributionContext.open(team("a"))) {
      Runnable forLambda = TaskAttributions.forExecute(lambda);
      assertThat(forLambda).isNotSameAs(lambda);
      assertThat(TaskAttributions.unwrap(forLambda)).isSameAs(lambda);
      assertThat(TaskAttributions.forExecute(plain)).isSameAs(plain);
      assertThat(TaskAttributions.attached(plain).team()).isEqualTo("a");
    }
    assertThat(TaskAttributions.forExecute(lambda)).as("no scope: no wrapper").isSameAs(lambda);
  }

  @Test
  void wrappersRestoreAndPassExceptionsThrough() throws Exception {
    Callable<String> callable;
    Runnable failing;
    try (AttributionScope s = AttributionContext.open(team("a"))) {
      callable = TaskAttributions.wrap(() -> AttributionContext.current().team());
      failing = TaskAttributions.wrap((Runnable) () -> {
        throw new IllegalStateException("boom");
      });
    }
    assertThat(callable.call()).isEqualTo("a");
    assertThatThrownBy(failing::run).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThat(AttributionContext.current()).isSameAs(Attribution.EMPTY);
  }

  @Test
  void enterAndExitNest() {
    Object outerTask = new Object();
    Object innerTask = new Object();
    try (AttributionScope s = AttributionContext.open(team("outer"))) {
      TaskAttributions.attach(outerTask);
    }
    Object t1 = TaskAttributions.enter(outerTask);
    assertThat(AttributionContext.current().team()).isEqualTo("outer");
    Object t2 = TaskAttributions.enter(innerTask); // a task helped inside a join: no attribution
    assertThat(AttributionContext.current()).isSameAs(Attribution.EMPTY);
    TaskAttributions.exit(t2);
    assertThat(AttributionContext.current().team()).isEqualTo("outer");
    TaskAttributions.exit(t1);
    assertThat(AttributionContext.current()).isSameAs(Attribution.EMPTY);
  }

  @Test
  void collectedTasksLeaveTheMap() throws Exception {
    try (AttributionScope s = AttributionContext.open(team("a"))) {
      for (int i = 0; i < 1000; i++) {
        TaskAttributions.attach(new Object());
      }
    }
    for (int i = 0; i < 50 && TaskAttributions.attachedCount() > 100; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(TaskAttributions.attachedCount()).isLessThan(100);
  }

  /** A runnable of an ordinary (non-hidden) class. */
  private static final class Named implements Runnable {
    private final Runnable body;

    Named(Runnable body) {
      this.body = body;
    }

    @Override
    public void run() {
      body.run();
    }
  }
}
