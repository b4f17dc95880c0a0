package dev.aicost.exporters;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.aicost.sdk.CostRecord;
import dev.aicost.sdk.CostRecordSink;
import dev.aicost.sdk.TaskRecord;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JSONL cost ledger: one JSON object per completed call (and per ended task), appended to a file by a background thread.
 *
 * <p>{@link #accept} only enqueues, so a slow disk never delays the application. Records are written in batches
 * and flushed whenever the queue runs empty; {@link #flush()} and {@link #close()} wait until everything accepted
 * so far is on disk. When the queue is full (the disk cannot keep up), new records are dropped and counted rather
 * than blocking the caller; {@link #droppedRecords()} says how many.
 *
 * <p>The enqueue takes no lock: a lock-free queue, a compare-and-set bound on its length and a striped counter, so
 * threads recording at once do not serialize on the ledger (docs/performance.md#contention). The writer parks when
 * the queue is empty and wakes on its own after {@link #LINGER_NANOS}, or earlier when a batch is waiting or on
 * {@link #flush()}: a single call never pays a thread wake-up (a system call, and on a small machine a thread competing
 * with the application's for a core), and a line reaches the file at most that linger later.
 */
public final class JsonlCostLedger implements CostRecordSink, Closeable {

  private static final Logger logger = Logger.getLogger(JsonlCostLedger.class.getName());
  private static final int BATCH = 512;

  private final Path path;
  /** How long a record may wait in the queue before the idle writer picks it up. */
  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** {@link CostRecord}s and {@link TaskRecord}s, in the order they ended. */
  private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
  /** Records in {@link #queue}; bounds it at {@link #capacity}. */
  private final AtomicInteger pending = new AtomicInteger();
  private final int capacity;
  /** Set by the writer before it parks on an empty queue; a producer that sees it with a batch waiting wakes it. */
  private volatile boolean writerIdle;
  private final Writer writer;
  private final JsonGenerator json;
  private final Thread thread;
  private final LongAdder accepted = new LongAdder();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Object progress = new Object();
  private volatile boolean closing;

  private JsonlCostLedger(Path path, int capacity) throws IOException {
    this.path = path;
    this.capacity = capacity;
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    this.writer =
        Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    // The generator flushes into the writer per record; the writer reaches the disk once per batch.
    this.json = new JsonFactory().createGenerator(writer);
    this.json.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
    this.json.setRootValueSeparator(null);
    this.thread = new Thread(this::run, "aicost-ledger-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Opens (creating or appending to) the ledger file.
   *
   * @param capacity the most records waiting to be written before new ones are dropped
   */
  public static JsonlCostLedger open(Path path, int capacity) throws IOException {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    return new JsonlCostLedger(path, capacity);
  }

  public Path path() {
    return path;
  }

  @Override
  public void accept(CostRecord record) {
    enqueue(record);
  }

  @Override
  public void acceptTask(TaskRecord record) {
    enqueue(record);
  }

  private void enqueue(Object record) {
    if (closing) {
      dropped.incrementAndGet();
      return;
    }
    if (pending.incrementAndGet() > capacity) {
      pending.decrementAndGet();
      if (dropped.getAndIncrement() == 0) {
        logger.warning("aicost: cost ledger " + path + " cannot keep up; dropping records (counted)");
      }
      return;
    }
    queue.offer(record);
    accepted.increment();
    if (writerIdle && pending.get() >= BATCH) {
      LockSupport.unpark(thread);
    }
  }

  /** Records dropped because the queue was full or the ledger closed. */
  public long droppedRecords() {
    return dropped.get();
  }

  public long writtenRecords() {
    return written.get();
  }

  /** Waits (up to 10 s) until every record accepted before this call is written and flushed to the file. */
  @Override
  public void flush() {
    long target = accepted.sum();
    LockSupport.unpark(thread);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    synchronized (progress) {
      while (written.get() < target && thread.isAlive()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          logger.warning("aicost: cost ledger flush timed out with " + (target - written.get()) + " records pending");
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

  /** Writes everything accepted so far, then closes the file. */
  @Override
  public void close() {
    flush();
    closing = true;
    thread.interrupt();
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      json.close();
    } catch (IOException e) {
      logger.log(Level.WARNING, "aicost: closing cost ledger " + path, e);
    }
  }

  private void run() {
    List<Object> batch = new ArrayList<>(BATCH);
    while (true) {
      try {
        drain(batch);
        if (!batch.isEmpty()) {
          writeBatch(batch);
          batch.clear();
          continue;
        }
        if (closing) {
          return;
        }
        writerIdle = true;
        // Re-check after announcing: a record offered before the flag was visible would otherwise wait a full park.
        if (queue.isEmpty() && !closing) {
          LockSupport.parkNanos(this, LINGER_NANOS);
        }
        writerIdle = false;
        // close() interrupts to wake the writer; the loop then drains and exits. A stray interrupt is cleared so that
        // parkNanos does not return at once forever.
        Thread.interrupted();
      } catch (Throwable t) {
        logger.log(Level.WARNING, "aicost: cost ledger writer failed; continuing", t);
      }
    }
  }

  /** Moves up to one batch of records from the queue to {@code batch}. */
  private void drain(List<Object> batch) {
    Object r;
    while (batch.size() < BATCH && (r = queue.poll()) != null) {
      pending.decrementAndGet();
      batch.add(r);
    }
  }

  private void writeBatch(List<Object> batch) {
    if (batch.isEmpty()) {
      return;
    }
    int ok = 0;
    for (Object r : batch) {
      try {
        if (r instanceof TaskRecord) {
          CostRecordJson.write(json, (TaskRecord) r);
        } else {
          CostRecordJson.write(json, (CostRecord) r);
        }
        json.flush();
        writer.write('\n');
        ok++;
      } catch (Throwable t) {
        logger.log(Level.WARNING, "aicost: could not write a cost record to " + path, t);
      }
    }
    try {
      writer.flush();
    } catch (IOException e) {
      logger.log(Level.WARNING, "aicost: could not flush cost ledger " + path, e);
    }
    written.addAndGet(batch.size());
    dropped.addAndGet(batch.size() - ok);
    synchronized (progress) {
      progress.notifyAll();
    }
  }
}
