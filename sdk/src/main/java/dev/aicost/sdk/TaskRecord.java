package dev.aicost.sdk;

import dev.aicost.bootstrap.Attribution;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One ended task (unit of work) and the exact sum of the AI calls counted in it. Immutable. */
public final class TaskRecord {

  /** The currency in which a task without priced calls reports its zero cost. */
  public static final String ZERO_COST_CURRENCY = "USD";

  private final String taskId;
  private final String name;
  private final Instant startTime;
  private final Instant endTime;
  private final long durationNanos;
  private final String traceId;
  private final String spanId;
  private final long calls;
  private final long pricedCalls;
  private final long unpricedCalls;
  private final long failedCalls;
  private final long inputTokens;
  private final long outputTokens;
  private final Map<String, BigDecimal> costByCurrency;
  private final Attribution attribution;
  private final String owner;

  TaskRecord(
      String taskId,
      String name,
      Instant startTime,
      Instant endTime,
      long durationNanos,
      String traceId,
      String spanId,
      long calls,
      long pricedCalls,
      long unpricedCalls,
      long failedCalls,
      long inputTokens,
      long outputTokens,
      Map<String, Long> picosByCurrency,
      Attribution attribution,
      String owner) {
    this.taskId = taskId;
    this.name = name;
    this.startTime = startTime;
    this.endTime = endTime;
    this.durationNanos = durationNanos;
    this.traceId = traceId;
    this.spanId = spanId;
    this.calls = calls;
    this.pricedCalls = pricedCalls;
    this.unpricedCalls = unpricedCalls;
    this.failedCalls = failedCalls;
    this.inputTokens = inputTokens;
    this.outputTokens = outputTokens;
    Map<String, BigDecimal> cost = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : picosByCurrency.entrySet()) {
      cost.put(e.getKey(), BigDecimal.valueOf(e.getValue(), 12).stripTrailingZeros());
    }
    this.costByCurrency = Collections.unmodifiableMap(cost);
    this.attribution = attribution;
    this.owner = owner;
  }

  public String taskId() {
    return taskId;
  }

  /** The task type, e.g. {@code answer-ticket}. */
  public String name() {
    return name;
  }

  public Instant startTime() {
    return startTime;
  }

  public Instant endTime() {
    return endTime;
  }

  public long durationNanos() {
    return durationNanos;
  }

  /** Of the task span; {@code null} when tracing is off. */
  public String traceId() {
    return traceId;
  }

  public String spanId() {
    return spanId;
  }

  /** AI calls counted in the task, failed ones included. */
  public long calls() {
    return calls;
  }

  public long pricedCalls() {
    return pricedCalls;
  }

  /** Successful calls whose cost is unknown: the total is then a lower bound ({@link #isCostComplete()}). */
  public long unpricedCalls() {
    return unpricedCalls;
  }

  public long failedCalls() {
    return failedCalls;
  }

  public long inputTokens() {
    return inputTokens;
  }

  public long outputTokens() {
    return outputTokens;
  }

  /** Exact cost per currency; empty when no call was priced. */
  public Map<String, BigDecimal> costByCurrency() {
    return costByCurrency;
  }

  /** Whether every successful call of the task was priced, so the cost is the whole cost. */
  public boolean isCostComplete() {
    return unpricedCalls == 0;
  }

  /** The attribution in force when the task started. */
  public Attribution attribution() {
    return attribution;
  }

  public String owner() {
    return owner;
  }
}
