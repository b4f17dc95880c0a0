package dev.aicost.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hand-off of the recorder and the ledger writer: batches, the linger, and sleeping while nothing comes. */
class BatchingWorkerTest {

  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final List<String> handled = new CopyOnWriteArrayList<>();
  private final List<String> handlerThreads = new CopyOnWriteArrayList<>();
  private BatchingWorker<String> worker;

  @AfterEach
  void tearDown() {
    if (worker != null) {
      worker.close(5, TimeUnit.SECONDS);
    }
  }

  private BatchingWorker<String> start(String threadName, int batchSize) {
    worker =
        new BatchingWorker<>(
            threadName,
            1_000,
            batchSize,
            LINGER_NANOS,
            batch -> {
              handlerThreads.add(Thread.currentThread().getName());
              handled.addAll(batch);
            });
    return worker;
  }

  @Test
  void aSingleItemIsHandledOnTheWorkerWithinTheLinger() throws Exception {
    start("bw-linger", 256).offer("a");
    await(() -> handled.size() == 1, "the item handled");
    assertThat(handled).containsExactly("a");
    assertThat(handlerThreads).containsOnly("bw-linger");
  }

  @Test
  void anIdleWorkerSleepsUntilTheNextOfferInsteadOfWakingEveryLinger() throws Exception {
    BatchingWorker<String> w = start("bw-idle", 256);
    w.offer("first");
    await(() -> handled.size() == 1, "the first item handled");
    // A linger passes with nothing offered: the worker parks without a timeout.
    Thread worker = thread("bw-idle");
    await(() -> worker.getState() == Thread.State.WAITING, "the worker asleep without a timeout");
    long sleeps = w.deepSleeps();
    assertThat(sleeps).isPositive();

    // Twenty lingers later it has not woken up: before, it woke every linger to find nothing.
    Thread.sleep(20 * TimeUnit.NANOSECONDS.toMillis(LINGER_NANOS));
    assertThat(w.deepSleeps()).isEqualTo(sleeps);
    assertThat(worker.getState()).isEqualTo(Thread.State.WAITING);

    // One item, far below a batch, wakes it: it is handled at once, not left behind a park without end.
    w.offer("after the quiet spell");
    await(() -> handled.size() == 2, "the item offered to the sleeping worker handled");
    assertThat(handled).containsExactly("first", "after the quiet spell");
    assertThat(handlerThreads).containsOnly("bw-idle");
  }

  @Test
  void whileItemsKeepComingTheWorkerLingersAndBatches() throws Exception {
    BatchingWorker<String> w = start("bw-busy", 256);
    // An item every 10 ms, five times within the 50 ms linger: never a whole quiet linger.
    for (int i = 0; i < 20; i++) {
      w.offer("item-" + i);
      Thread.sleep(10);
    }
    await(() -> handled.size() == 20, "every item handled");
    assertThat(handlerThreads.size()).as("batches for 20 items offered 10 ms apart with a 50 ms linger").isLessThan(20);
  }

  @Test
  void flushAndCloseWorkOnASleepingWorker() throws Exception {
    BatchingWorker<String> w = start("bw-flush", 256);
    Thread worker = thread("bw-flush");
    await(() -> worker.getState() == Thread.State.WAITING, "the worker asleep without a timeout");
    w.flush(5, TimeUnit.SECONDS); // nothing pending: returns
    w.offer("x");
    w.flush(5, TimeUnit.SECONDS);
    assertThat(handled).containsExactly("x");
    await(() -> worker.getState() == Thread.State.WAITING, "asleep again");
    w.close(5, TimeUnit.SECONDS);
    assertThat(worker.isAlive()).isFalse();
    assertThat(w.offer("late")).isFalse();
  }

  @Test
  void aFullBatchWakesALingeringWorker() throws Exception {
    // A linger of a minute: only the batch size can have woken it.
    worker =
        new BatchingWorker<>(
            "bw-batch", 1_000, 4, TimeUnit.MINUTES.toNanos(1), batch -> handled.addAll(batch));
    Thread worker = thread("bw-batch");
    await(() -> worker.getState() == Thread.State.TIMED_WAITING, "the worker lingering");
    for (int i = 0; i < 4; i++) {
      this.worker.offer("b" + i);
    }
    await(() -> handled.size() == 4, "the batch handled");
  }

  private static Thread thread(String name) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals(name)) {
          return t;
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError("no thread " + name);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(5);
    }
  }
}
