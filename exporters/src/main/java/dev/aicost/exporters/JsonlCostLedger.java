package dev.aicost.exporters;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.aicost.sdk.CostRecord;
import dev.aicost.sdk.CostRecordSink;
import dev.aicost.sdk.TaskRecord;
import dev.aicost.sdk.internal.BatchingWorker;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>The enqueue takes no lock and a single call never wakes the writer ({@link BatchingWorker}): a line reaches the
 * file at most {@link #LINGER_NANOS} after its call, or as soon as a batch is waiting.
 */
public final class JsonlCostLedger implements CostRecordSink, Closeable {

  private static final Logger logger = Logger.getLogger(JsonlCostLedger.class.getName());
  private static final int BATCH = 512;
  private static final int FILE_BUFFER_BYTES = 64 * 1024;

  /** How long a record may wait in the queue before the idle writer picks it up. */
  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final Path path;
  private final OutputStream out;
  private final JsonGenerator json;
  /** {@link CostRecord}s and {@link TaskRecord}s, in the order they ended. */
  private final BatchingWorker<Object> worker;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  /** The writer thread's formatter. */
  private final LedgerFormat format = new LedgerFormat();

  private JsonlCostLedger(Path path, int capacity) throws IOException {
    this.path = path;
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    // UTF-8 bytes straight from the generator (no charset encoder), into a buffer large enough that a batch of
    // ~1 KB lines costs a few write system calls rather than one per 8 KB.
    this.out =
        new BufferedOutputStream(
            Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND), FILE_BUFFER_BYTES);
    // The generator flushes into the buffer per record; the buffer reaches the disk once per batch (or when full).
    this.json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
    this.json.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
    this.json.setRootValueSeparator(null);
    this.worker = new BatchingWorker<>("aicost-ledger-writer", capacity, BATCH, LINGER_NANOS, this::writeBatch);
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
    if (!worker.offer(record) && dropped.getAndIncrement() == 0) {
      logger.warning("aicost: cost ledger " + path + " cannot keep up; dropping records (counted)");
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
    worker.flush(10, TimeUnit.SECONDS);
  }

  /** Writes everything accepted so far, then closes the file. */
  @Override
  public void close() {
    worker.close(10, TimeUnit.SECONDS);
    try {
      json.close();
    } catch (IOException e) {
      logger.log(Level.WARNING, "aicost: closing cost ledger " + path, e);
    }
  }

  private void writeBatch(List<Object> batch) {
    int ok = 0;
    for (Object r : batch) {
      try {
        if (r instanceof TaskRecord) {
          CostRecordJson.write(json, (TaskRecord) r, format);
        } else {
          CostRecordJson.write(json, (CostRecord) r, format);
        }
        json.writeRaw('\n'); // in the generator's buffer: it reaches the stream 8 KB at a time, not per line
        ok++;
      } catch (Throwable t) {
        logger.log(Level.WARNING, "aicost: could not write a cost record to " + path, t);
      }
    }
    try {
      json.flush(); // the generator's buffer into the file buffer (not to disk: FLUSH_PASSED_TO_STREAM is off)
      out.flush();
    } catch (IOException e) {
      logger.log(Level.WARNING, "aicost: could not flush cost ledger " + path, e);
    }
    written.addAndGet(batch.size());
    dropped.addAndGet(batch.size() - ok);
  }
}
