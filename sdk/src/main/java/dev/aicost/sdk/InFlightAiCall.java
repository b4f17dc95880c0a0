package dev.aicost.sdk;

import dev.aicost.bootstrap.AiCallHandle;
import dev.aicost.bootstrap.AiCallStart;
import dev.aicost.bootstrap.Attribution;
import dev.aicost.bootstrap.ResponseReader;
import dev.aicost.bootstrap.TaskRun;
import dev.aicost.pricing.Usage;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One call between start and end. Setters may be called from the thread that reads a stream while another thread
 * closes it, so the reported state is guarded by this object's monitor; the first end wins, and what is reported after
 * it is ignored. The recorder reads the reported state after the end (on its own thread with background completion),
 * through {@link #freeze()}, which also runs the response reader given to {@link #endReading}: nothing is copied, and
 * a response ended that way is not read, on the application's thread.
 */
final class InFlightAiCall implements AiCallHandle {

  private final AiCallRecorder recorder;
  final AiCallStart start;
  final Attribution attribution;
  /** Owner of unattributed spend, else null. */
  final String owner;
  /** The task this call counts in (it accepted the call), else null. */
  final TaskRun taskRun;
  /** The context current when the call started: its span is the parent of the call's span. */
  final Context parent;
  final long startNanos;
  final Instant startTime;
  // Flags set once by compare-and-set on volatile ints: an AtomicBoolean each would be two more objects per call on
  // the application's thread (docs/performance.md#recording-one-call).
  private static final AtomicIntegerFieldUpdater<InFlightAiCall> ENDED =
      AtomicIntegerFieldUpdater.newUpdater(InFlightAiCall.class, "ended");
  private static final AtomicIntegerFieldUpdater<InFlightAiCall> ROLLED_UP =
      AtomicIntegerFieldUpdater.newUpdater(InFlightAiCall.class, "rolledUp");

  private volatile int ended;
  /** Whether the call was added to its task (exactly once, even if recording fails half-way). */
  private volatile int rolledUp;

  private String responseModel;
  private String responseId;
  private String responseServiceTier;
  private String usageUnavailableReason;
  /** The first finish reason; most responses have exactly one. */
  private String finishReason;
  /** Every finish reason once there are two or more, else null. */
  private List<String> finishReasons;
  /** Token counts as reported so far; a usage exists only once {@link #usage(long, long)} was called. */
  private final Usage.Builder usage = Usage.builder();
  private boolean usageReported;

  // Set by freeze(), which the recorder calls once per call.
  private List<String> finishReasonList;
  private Usage builtUsage;
  private IllegalArgumentException invalidUsage;

  // How the call ended, set once by the thread that ended it before the call is handed to the recorder thread (the
  // queue publishes them). On the call itself rather than in a separate completion object: one object less per call
  // on the application's thread (docs/performance.md#recording-one-call).
  String errorType;
  String endReason;
  long durationNanos;

  // A response to read when the call completes (endReading), set before the call is handed over like the fields above.
  private Object pendingResponse;
  private ResponseReader<Object> pendingReader;
  /**
   * The thread running the pending reader, under this call's monitor: its reports count although the call has ended.
   * Any other thread's report after the end waits for the monitor, then finds this null and is ignored.
   */
  private Thread reader;

  InFlightAiCall(
      AiCallRecorder recorder,
      AiCallStart start,
      Attribution attribution,
      String owner,
      TaskRun taskRun,
      Context parent,
      long startNanos,
      Instant startTime) {
    this.recorder = recorder;
    this.start = start;
    this.attribution = attribution;
    this.owner = owner;
    this.taskRun = taskRun;
    this.parent = parent;
    this.startNanos = startNanos;
    this.startTime = startTime;
  }

  /**
   * After the end, reports are ignored, except those of the pending response reader on the thread running it. Called
   * under the monitor.
   */
  private boolean ignoresReports() {
    return ended != 0 && reader != Thread.currentThread();
  }

  @Override
  public synchronized AiCallHandle responseModel(String model) {
    if (ignoresReports()) {
      return this;
    }
    this.responseModel = model;
    return this;
  }

  @Override
  public synchronized AiCallHandle responseId(String id) {
    if (ignoresReports()) {
      return this;
    }
    this.responseId = id;
    return this;
  }

  @Override
  public synchronized AiCallHandle finishReason(String reason) {
    if (ignoresReports()) {
      return this;
    }
    if (reason != null) {
      if (finishReason == null) {
        finishReason = reason;
      } else {
        if (finishReasons == null) {
          finishReasons = new ArrayList<>(4);
          finishReasons.add(finishReason);
        }
        finishReasons.add(reason);
      }
    }
    return this;
  }

  @Override
  public synchronized AiCallHandle responseServiceTier(String tier) {
    if (ignoresReports()) {
      return this;
    }
    this.responseServiceTier = tier;
    return this;
  }

  @Override
  public synchronized AiCallHandle usage(long inputTokens, long outputTokens) {
    if (ignoresReports()) {
      return this;
    }
    usageReported = true;
    usage.input(inputTokens).output(outputTokens);
    return this;
  }

  @Override
  public synchronized AiCallHandle cacheReadTokens(long tokens) {
    if (ignoresReports()) {
      return this;
    }
    usage.cacheRead(tokens);
    return this;
  }

  @Override
  public synchronized AiCallHandle cacheWrite5mTokens(long tokens) {
    if (ignoresReports()) {
      return this;
    }
    usage.cacheWrite5m(tokens);
    return this;
  }

  @Override
  public synchronized AiCallHandle cacheWrite1hTokens(long tokens) {
    if (ignoresReports()) {
      return this;
    }
    usage.cacheWrite1h(tokens);
    return this;
  }

  @Override
  public synchronized AiCallHandle reasoningTokens(long tokens) {
    if (ignoresReports()) {
      return this;
    }
    usage.reasoning(tokens);
    return this;
  }

  @Override
  public synchronized AiCallHandle audioInputTokens(long tokens) {
    if (ignoresReports()) {
      return this;
    }
    usage.audioInput(tokens);
    return this;
  }

  @Override
  public synchronized AiCallHandle audioOutputTokens(long tokens) {
    if (ignoresReports()) {
      return this;
    }
    usage.audioOutput(tokens);
    return this;
  }

  @Override
  public synchronized AiCallHandle imageInputTokens(long tokens) {
    if (ignoresReports()) {
      return this;
    }
    usage.imageInput(tokens);
    return this;
  }

  @Override
  public synchronized AiCallHandle webSearchCalls(long calls) {
    if (ignoresReports()) {
      return this;
    }
    usage.webSearchCalls(calls);
    return this;
  }

  @Override
  public synchronized AiCallHandle usageUnavailable(String reason) {
    if (ignoresReports()) {
      return this;
    }
    this.usageUnavailableReason = reason;
    return this;
  }

  @Override
  public void end() {
    if (ENDED.compareAndSet(this, 0, 1)) {
      recorder.complete(this, null, null);
    }
  }

  /**
   * Ends the call and leaves reading the response to the thread that completes it: with background completion that
   * is the recorder thread, so the application's thread does not read the provider's response object.
   */
  @Override
  @SuppressWarnings("unchecked")
  public <R> void endReading(R response, ResponseReader<? super R> reader) {
    if (ENDED.compareAndSet(this, 0, 1)) {
      pendingResponse = response;
      pendingReader = (ResponseReader<Object>) reader;
      recorder.complete(this, null, null);
    }
  }

  @Override
  public void fail(Throwable error, String errorType) {
    if (ENDED.compareAndSet(this, 0, 1)) {
      String type = errorType;
      if (type == null || type.isEmpty()) {
        type = error == null ? "_OTHER" : error.getClass().getName();
      }
      recorder.complete(this, type, null);
    }
  }

  @Override
  public void cancel(String reason) {
    if (ENDED.compareAndSet(this, 0, 1)) {
      recorder.complete(this, null, reason == null ? "cancelled" : reason);
    }
  }

  boolean isEnded() {
    return ended != 0;
  }

  /** True exactly once: for the caller that gets to add the call to its task. */
  boolean markRolledUp() {
    return ROLLED_UP.compareAndSet(this, 0, 1);
  }

  /**
   * Fixes what the response reported, once the call has ended: the usage is built (or found inconsistent) and the
   * finish reasons become an immutable list. Taking the monitor waits for a setter that passed its check just before
   * the end, and every later setter sees the end and returns, so a second call would find the same.
   */
  synchronized void freeze() {
    readPendingResponse();
    finishReasonList =
        finishReasons != null ? List.copyOf(finishReasons) : finishReason != null ? List.of(finishReason) : List.of();
    if (usageReported) {
      try {
        builtUsage = usage.build();
      } catch (IllegalArgumentException e) {
        invalidUsage = e;
      }
    }
  }

  /** Runs the reader given to {@link #endReading}, if any, on this (the completing) thread; under the monitor. */
  private void readPendingResponse() {
    ResponseReader<Object> r = pendingReader;
    if (r == null) {
      return;
    }
    pendingReader = null;
    Object response = pendingResponse;
    pendingResponse = null; // the record does not keep the response reachable
    reader = Thread.currentThread();
    try {
      r.readSafely(this, response); // nothing a reader throws reaches the recorder's loop
    } finally {
      reader = null;
    }
  }

  // Read after freeze() on the thread that called it.

  String responseModel() {
    return responseModel;
  }

  String responseId() {
    return responseId;
  }

  String responseServiceTier() {
    return responseServiceTier;
  }

  String usageUnavailableReason() {
    return usageUnavailableReason;
  }

  List<String> finishReasons() {
    return finishReasonList;
  }

  /** The normalized usage, or null when none was reported or the provider's counts were inconsistent. */
  Usage usage() {
    return builtUsage;
  }

  /** Why the reported counts could not be used, or null. */
  IllegalArgumentException invalidUsage() {
    return invalidUsage;
  }
}
