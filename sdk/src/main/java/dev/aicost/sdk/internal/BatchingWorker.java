package dev.aicost.sdk.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A bounded hand-off from the application's threads to one background thread that handles items in batches: the
 * cost ledger's writer and the recorder's completion of AI calls. Not API: shared by aicost's own modules.
 *
 * <p>{@link #offer} takes no lock (a lock-free queue, a compare-and-set bound on its length and a striped counter),
 * so threads handing over at once do not serialize on it (docs/performance.md#contention). The worker parks when the
 * queue is empty and wakes on its own after the linger time, or earlier when a batch is waiting or on {@link #flush}:
 * while items keep coming, a single item never pays a thread wake-up (a system call and, on a small machine, a thread
 * competing with the application's for a core); an item waits at most the linger time.
 *
 * <p>Once a whole linger passed with nothing offered, the worker sleeps until the next offer wakes it, instead of
 * waking every linger for nothing: an idle application's aicost threads stay asleep (ten wake-ups a second per worker
 * before), and the first item after a quiet spell pays the one wake-up.
 */
public final class BatchingWorker<T> {

  private static final Logger logger = Logger.getLogger(BatchingWorker.class.getName());

  private final String name;
  private final int capacity;
  private final int batchSize;
  private final long lingerNanos;
  private final Consumer<List<T>> handler;
  private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
  /** Items in {@link #queue}; bounds it at {@link #capacity}. */
  private final AtomicInteger pending = new AtomicInteger();
  /** Set by the worker before it parks on an empty queue; an offer that sees it with a batch waiting wakes it. */
  private volatile boolean idle;
  /**
   * 1 while the worker sleeps without a timeout (after a quiet linger); the first offer that clears it wakes the
   * worker, so a burst of offers pays one wake-up.
   */
  private volatile int sleeping;

  private static final AtomicIntegerFieldUpdater<BatchingWorker> SLEEPING =
      AtomicIntegerFieldUpdater.newUpdater(BatchingWorker.class, "sleeping");
  /** Times the worker went to sleep without a timeout; for tests. */
  private final AtomicLong deepSleeps = new AtomicLong();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final AtomicLong handled = new AtomicLong();
  private final Object progress = new Object();
  private final Thread thread;
  private volatile boolean closing;

  /**
   * Starts the worker thread (a daemon).
   *
   * @param handler called on the worker thread with each batch, in the order items were offered; what it throws is
   *     logged and the worker goes on
   */
  public BatchingWorker(String threadName, int capacity, int batchSize, long lingerNanos, Consumer<List<T>> handler) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.name = threadName;
    this.capacity = capacity;
    this.batchSize = batchSize;
    this.lingerNanos = lingerNanos;
    this.handler = handler;
    this.thread = new Thread(this::run, threadName);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Hands {@code item} to the worker; {@code false} when the queue is full or the worker closed. */
  public boolean offer(T item) {
    if (closing) {
      refused.increment();
      return false;
    }
    if (pending.incrementAndGet() > capacity) {
      pending.decrementAndGet();
      refused.increment();
      return false;
    }
    queue.offer(item);
    accepted.increment();
    // Read after the item is queued; the worker sets these before it looks at the queue a last time, so either it
    // sees the item or this sees it asleep.
    if (idle && ((sleeping == 1 && SLEEPING.compareAndSet(this, 1, 0)) || pending.get() >= batchSize)) {
      LockSupport.unpark(thread);
    }
    return true;
  }

  /** How many times the worker has gone to sleep until the next offer (a whole linger passed with nothing to do). */
  public long deepSleeps() {
    return deepSleeps.get();
  }

  /** Offers refused because the queue was full or the worker closed. */
  public long refused() {
    return refused.sum();
  }

  /**
   * Waits until every item offered before this call is handled, or the timeout passes (then the number still pending
   * is logged). On the worker's own thread (a handler that flushes) it returns at once: it would wait for itself.
   */
  public void flush(long timeout, TimeUnit unit) {
    if (Thread.currentThread() == thread) {
      return;
    }
    long target = accepted.sum();
    LockSupport.unpark(thread);
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    synchronized (progress) {
      while (handled.get() < target && thread.isAlive()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          logger.warning("aicost: " + name + " flush timed out with " + (target - handled.get()) + " items pending");
          return;
        }
        try {
          progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Handles everything offered so far, then stops the thread; later offers are refused. */
  public void close(long timeout, TimeUnit unit) {
    flush(timeout, unit);
    closing = true;
    thread.interrupt();
    LockSupport.unpark(thread);
    try {
      thread.join(unit.toMillis(timeout));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<T> batch = new ArrayList<>(batchSize);
    // A whole linger passed and nothing was offered: the next park has no timeout.
    boolean quiet = false;
    while (true) {
      try {
        T item;
        while (batch.size() < batchSize && (item = queue.poll()) != null) {
          pending.decrementAndGet();
          batch.add(item);
        }
        if (!batch.isEmpty()) {
          quiet = false;
          handle(batch);
          batch.clear();
          continue;
        }
        if (closing) {
          return;
        }
        idle = true;
        if (quiet) {
          sleeping = 1;
        }
        // Re-check after announcing: an item offered before the flags were visible would otherwise wait a full park.
        if (queue.isEmpty() && !closing) {
          if (quiet) {
            deepSleeps.incrementAndGet();
            LockSupport.park(this);
          } else {
            LockSupport.parkNanos(this, lingerNanos);
          }
        }
        sleeping = 0;
        idle = false;
        // close() interrupts to wake the worker; the loop then drains and exits. A stray interrupt is cleared so that
        // parkNanos does not return at once forever.
        Thread.interrupted();
        // Nothing came while parked (the linger passed, or a flush or a spurious wake-up with nothing pending).
        quiet = queue.isEmpty();
      } catch (Throwable t) {
        logger.log(Level.WARNING, "aicost: " + name + " failed; continuing", t);
      }
    }
  }

  private void handle(List<T> batch) {
    try {
      handler.accept(batch);
    } catch (Throwable t) {
      logger.log(Level.WARNING, "aicost: " + name + " could not handle " + batch.size() + " items", t);
    } finally {
      handled.addAndGet(batch.size());
      synchronized (progress) {
        progress.notifyAll();
      }
    }
  }
}
