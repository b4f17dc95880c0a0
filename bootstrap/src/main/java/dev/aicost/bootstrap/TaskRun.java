package dev.aicost.bootstrap;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One execution of a task: the outermost attribution scope that names a task ({@code @CostCenter(task = ...)},
 * {@code AiCost.task(...)}). It accumulates the AI calls made inside it, on any thread the attribution reaches, and
 * ends when its scope has closed <em>and</em> every call it counted has ended; the installed {@link AiCallSink} then
 * reports it (task span, {@code aicost.task.cost}, a ledger {@code task} record).
 *
 * <p>Money is accumulated exactly, as integer pico-units per currency. A call that starts after the task ended is
 * not counted (it still carries the task's name). Part of the bootstrap bridge: additive changes only.
 */
public final class TaskRun {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String id;
  private final String name;
  private final Attribution attribution;
  private final Instant startTime;
  private final long startNanos;
  /** One for the open scope plus one per call in flight; the task ends when it reaches zero. */
  private final AtomicInteger pending = new AtomicInteger(1);

  private final LongAdder calls = new LongAdder();
  private final LongAdder pricedCalls = new LongAdder();
  private final LongAdder unpricedCalls = new LongAdder();
  private final LongAdder failedCalls = new LongAdder();
  private final LongAdder inputTokens = new LongAdder();
  private final LongAdder outputTokens = new LongAdder();
  private final Map<String, LongAdder> picosByCurrency = new ConcurrentHashMap<>(2);
  private final AtomicLong endNanos = new AtomicLong();
  private volatile Instant endTime;
  private volatile Object handle;

  TaskRun(String name, Attribution attribution) {
    this.id = newId();
    this.name = name;
    this.attribution = attribution;
    this.startTime = Instant.now();
    this.startNanos = System.nanoTime();
  }

  private static String newId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    StringBuilder sb = new StringBuilder(16);
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return sb.toString();
  }

  /** A random 16-hex-digit id, written on the task record and on every call record counted in it. */
  public String id() {
    return id;
  }

  /** The task type, e.g. {@code answer-ticket}. */
  public String name() {
    return name;
  }

  /** The attribution in force when the task started (its own scope included), without the run. */
  public Attribution attribution() {
    return attribution;
  }

  public Instant startTime() {
    return startTime;
  }

  /** When the task ended (scope closed and last call ended), or {@code null} while it runs. */
  public Instant endTime() {
    return endTime;
  }

  /** Wall time from start to end, in nanoseconds; 0 while it runs. */
  public long durationNanos() {
    long end = endNanos.get();
    return end == 0 ? 0 : end - startNanos;
  }

  public boolean isEnded() {
    return endTime != null;
  }

  /** Whatever the recording sink attached when the task started (its span); opaque to the bridge. */
  public Object handle() {
    return handle;
  }

  public void handle(Object handle) {
    this.handle = handle;
  }

  /**
   * Counts a call that starts now. Returns {@code false} when the task already ended; the call must then not
   * report to it.
   */
  public boolean callStarted() {
    while (true) {
      int p = pending.get();
      if (p <= 0) {
        return false;
      }
      if (pending.compareAndSet(p, p + 1)) {
        return true;
      }
    }
  }

  /**
   * Adds an ended call that {@link #callStarted()} accepted.
   *
   * @param currency the currency of {@code picos}, or {@code null} when the call was not priced
   * @param picos the call's exact cost in 10^-12 units of {@code currency}
   */
  public void callEnded(
      String currency, long picos, long input, long output, boolean priced, boolean failed) {
    try {
      calls.increment();
      if (priced && currency != null) {
        pricedCalls.increment();
        picosByCurrency.computeIfAbsent(currency, c -> new LongAdder()).add(picos);
      } else if (!failed) {
        unpricedCalls.increment();
      }
      if (failed) {
        failedCalls.increment();
      }
      inputTokens.add(input);
      outputTokens.add(output);
    } finally {
      release();
    }
  }

  /** The task's scope closed; called once by {@link AttributionScope#close()}. */
  void scopeClosed() {
    release();
  }

  private void release() {
    if (pending.decrementAndGet() == 0) {
      endNanos.set(System.nanoTime());
      endTime = Instant.now();
      AiCallBridge.taskEnded(this);
    }
  }

  public long calls() {
    return calls.sum();
  }

  public long pricedCalls() {
    return pricedCalls.sum();
  }

  /** Successful calls that could not be priced (their cost is unknown, not zero). */
  public long unpricedCalls() {
    return unpricedCalls.sum();
  }

  public long failedCalls() {
    return failedCalls.sum();
  }

  public long inputTokens() {
    return inputTokens.sum();
  }

  public long outputTokens() {
    return outputTokens.sum();
  }

  /** Exact cost per currency in pico-units, sorted by currency; empty when no call was priced. */
  public Map<String, Long> picosByCurrency() {
    Map<String, Long> m = new TreeMap<>();
    for (Map.Entry<String, LongAdder> e : picosByCurrency.entrySet()) {
      m.put(e.getKey(), e.getValue().sum());
    }
    return Collections.unmodifiableMap(m);
  }

  @Override
  public String toString() {
    return "TaskRun{" + name + " " + id + "}";
  }
}
