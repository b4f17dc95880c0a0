package dev.aicost.sdk;

import dev.aicost.bootstrap.AiCallHandle;
import dev.aicost.bootstrap.AiCallSink;
import dev.aicost.bootstrap.AiCallStart;
import dev.aicost.bootstrap.AppContext;
import dev.aicost.bootstrap.AppTelemetry;
import dev.aicost.bootstrap.Attribution;
import dev.aicost.bootstrap.AttributionContext;
import dev.aicost.bootstrap.AttributionPropagation;
import dev.aicost.bootstrap.TaskRun;
import dev.aicost.pricing.CostBreakdown;
import dev.aicost.pricing.CostCalculator;
import dev.aicost.pricing.CostComponent;
import dev.aicost.pricing.PricingContext;
import dev.aicost.pricing.ServiceTier;
import dev.aicost.pricing.Usage;
import dev.aicost.sdk.internal.BatchingWorker;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns one normalized AI call into a span, metrics and a cost record for the ledger.
 *
 * <p>Install it as the {@link AiCallSink} (the agent does; an application using the SDK alone calls
 * {@link AiCost#install}). Recording never throws into the caller: a failure inside is logged and the call's
 * telemetry is dropped, the application carries on.
 */
public final class AiCallRecorder implements AiCallSink {

  private static final Logger logger = Logger.getLogger(AiCallRecorder.class.getName());
  private static final String INSTRUMENTATION_SCOPE = "dev.aicost";

  /** Task spans. */
  private final Tracer tracer;
  /** AI call spans (see {@link Builder#callSpanTracerProvider}). */
  private final Tracer callTracer;
  private final AiCostMetrics metrics;
  private final CostCalculator calculator;
  /** Copied on write: read per call, where a list's iterator would be one more object. */
  private volatile CostRecordSink[] sinks;
  private final Attribution defaults;
  private final String serviceName;
  private final FailureLog failures = new FailureLog(logger);
  /** Completes calls off the calling thread; {@code null} when they complete on it. */
  private final BatchingWorker<InFlightAiCall> completions;
  /** The recorder thread's record builder (see {@link #completeAll}). */
  private final CostRecord.Builder recorderThreadRecord = CostRecord.builder();

  private AiCallRecorder(Builder b) {
    String version = b.instrumentationVersion != null ? b.instrumentationVersion : AiCostVersion.get();
    this.tracer =
        b.openTelemetry.getTracerProvider().tracerBuilder(INSTRUMENTATION_SCOPE).setInstrumentationVersion(version).build();
    this.callTracer =
        b.callSpanTracerProvider == null
            ? tracer
            : b.callSpanTracerProvider.tracerBuilder(INSTRUMENTATION_SCOPE).setInstrumentationVersion(version).build();
    this.metrics =
        new AiCostMetrics(
            b.openTelemetry.getMeterProvider().meterBuilder(INSTRUMENTATION_SCOPE).setInstrumentationVersion(version).build(),
            new SpendAggregator(b.maxSpendSeries),
            b.customerMetricValues > 0 ? new CustomerValueLimiter(b.customerMetricValues) : null);
    this.calculator = b.calculator;
    this.sinks = b.sinks.toArray(new CostRecordSink[0]);
    this.defaults = b.defaults;
    this.serviceName = b.serviceName;
    this.completions =
        b.completeInBackground
            ? new BatchingWorker<>(
                "aicost-recorder", COMPLETION_QUEUE, COMPLETION_BATCH, COMPLETION_LINGER_NANOS, this::completeAll)
            : null;
  }

  public static Builder builder(OpenTelemetry openTelemetry, CostCalculator calculator) {
    return new Builder(openTelemetry, calculator);
  }

  @Override
  public AiCallHandle start(AiCallStart start) {
    try {
      Attribution scoped = AttributionContext.current();
      AppContext app = AppTelemetry.current();
      Attribution attribution = effective(scoped, app);
      String owner = ownerOf(attribution);
      if (owner != null) {
        attribution = withUnattributedTeam(attribution);
      }
      TaskRun run = scoped.taskRun();
      long startNanos = System.nanoTime();
      Instant startTime = Instant.now();
      TaskRun counted = run != null && run.callStarted() ? run : null;
      // Only what must be read on the calling thread (the time, the scopes, the current span as the parent) is read
      // here; the span itself is built when the call completes (startSpan), which with background completion is on
      // the recorder thread. Its start timestamp is the call's.
      Context parent = parent(app, run);
      return new InFlightAiCall(this, start, attribution, owner, counted, parent, startNanos, startTime);
    } catch (Throwable t) {
      failures.log("start an AI call", t);
      return AiCallHandle.NOOP;
    }
  }

  /**
   * The call's span, started at the call's start time with the parent current when the call started. Never throws:
   * a span that cannot be built is replaced by an invalid one, and the call is still priced and recorded.
   */
  private Span startSpan(InFlightAiCall call) {
    try {
      AiCallStart start = call.start;
      String model = start.requestModel();
      SpanBuilder sb =
          callTracer
              .spanBuilder(spanName(start.operation(), model))
              // Explicit, so that the end (start + the measured duration) is exact wherever the call is completed.
              .setStartTimestamp(epochNanos(call.startTime), TimeUnit.NANOSECONDS)
              .setSpanKind(SpanKind.CLIENT)
              .setParent(call.parent)
              .setAttribute(AiCostAttributes.GEN_AI_OPERATION_NAME, start.operation())
              .setAttribute(AiCostAttributes.GEN_AI_PROVIDER_NAME, start.provider())
              .setAttribute(AiCostAttributes.GEN_AI_REQUEST_STREAM, start.stream());
      setIfNotNull(sb, AiCostAttributes.GEN_AI_REQUEST_MODEL, model);
      setIfNotNull(sb, AiCostAttributes.SERVER_ADDRESS, start.serverAddress());
      if (start.serverPort() > 0) {
        sb.setAttribute(AiCostAttributes.SERVER_PORT, (long) start.serverPort());
      }
      if (!"llm".equals(start.kind())) {
        sb.setAttribute(AiCostAttributes.KIND, start.kind());
      }
      setAttribution(sb, call.attribution);
      setIfNotNull(sb, AiCostAttributes.OWNER, call.owner);
      if (call.taskRun != null) {
        sb.setAttribute(AiCostAttributes.TASK_ID, call.taskRun.id());
      }
      return sb.startSpan();
    } catch (Throwable t) {
      failures.log("start the span of an AI call", t);
      return Span.getInvalid();
    }
  }

  /**
   * Configured defaults, then trusted inbound baggage, then the scopes in force: each overrides the previous field
   * by field. Untrusted inbound entries are counted and dropped.
   */
  private Attribution effective(Attribution scoped, AppContext app) {
    Attribution a = defaults;
    if (app != null && !app.baggage().isEmpty()) {
      a = a.overriddenBy(AttributionPropagation.inbound(app.baggage(), metrics::untrustedInbound));
    }
    return a.overriddenBy(scoped);
  }

  /** The last attribution given team {@code unattributed}: {source, result}; replaced whole, so read without a lock. */
  private volatile Attribution[] lastUnattributed = {null, null};

  /**
   * {@code a} with team {@code unattributed}. Calls outside any scope all have the same effective attribution (the
   * configured defaults), so the result is kept for the last source instead of being rebuilt on every call.
   */
  private Attribution withUnattributedTeam(Attribution a) {
    Attribution[] last = lastUnattributed;
    if (last[0] == a) {
      return last[1];
    }
    Attribution result = a.toBuilder().team(AiCostAttributes.UNATTRIBUTED).build();
    lastUnattributed = new Attribution[] {a, result};
    return result;
  }

  /** The owner of spend that nothing attributed to a team: {@code service.name}; {@code null} when a team is set. */
  private String ownerOf(Attribution a) {
    if (a.team() != null) {
      return null;
    }
    return serviceName != null ? serviceName : "unknown_service";
  }

  /**
   * The parent of an aicost span: the current span of this OpenTelemetry API (when the application uses the SDK with
   * its own OpenTelemetry), else the application's current span read through its own API (the OpenTelemetry agent's
   * or an application-managed SDK's), else the task span, else none. Inside a task, calls made under the span that
   * was current when the task started are children of the task span.
   */
  private static Context parent(AppContext app, TaskRun run) {
    Context own = Context.current();
    if (Span.fromContext(own).getSpanContext().isValid()) {
      return own;
    }
    TaskSpan task = run != null && run.handle() instanceof TaskSpan ? (TaskSpan) run.handle() : null;
    if (app != null && app.hasSpan()) {
      if (task != null && app.spanId().equals(task.appSpanId)) {
        return own.with(task.span);
      }
      SpanContext remote =
          SpanContext.createFromRemoteParent(
              app.traceId(), app.spanId(), TraceFlags.fromByte(app.traceFlags()), TraceState.getDefault());
      if (remote.isValid()) {
        return own.with(Span.wrap(remote));
      }
    }
    return task != null ? own.with(task.span) : own;
  }

  @Override
  public void taskStarted(TaskRun run) {
    try {
      AppContext app = AppTelemetry.current();
      Attribution attribution = effective(run.attribution(), app);
      String owner = ownerOf(attribution);
      if (owner != null) {
        attribution = attribution.toBuilder().team(AiCostAttributes.UNATTRIBUTED).build();
      }
      SpanBuilder sb =
          tracer
              .spanBuilder("task " + run.name())
              .setSpanKind(SpanKind.INTERNAL)
              .setParent(parent(app, null))
              .setStartTimestamp(run.startTime())
              .setAttribute(AiCostAttributes.TASK_ID, run.id());
      setAttribution(sb, attribution);
      setIfNotNull(sb, AiCostAttributes.OWNER, owner);
      run.handle(new TaskSpan(this, sb.startSpan(), app != null && app.hasSpan() ? app.spanId() : null, attribution, owner));
    } catch (Throwable t) {
      failures.log("start a task", t);
    }
  }

  @Override
  public void taskEnded(TaskRun run) {
    try {
      TaskSpan ts = run.handle() instanceof TaskSpan ? (TaskSpan) run.handle() : null;
      Attribution attribution;
      String owner;
      if (ts != null && ts.recorder == this) {
        attribution = ts.attribution;
        owner = ts.owner;
      } else {
        // Started before this recorder was installed: no span, attribution from the scope and defaults.
        ts = null;
        attribution = effective(run.attribution(), null);
        owner = ownerOf(attribution);
        if (owner != null) {
          attribution = attribution.toBuilder().team(AiCostAttributes.UNATTRIBUTED).build();
        }
      }
      SpanContext sc = ts == null ? SpanContext.getInvalid() : ts.span.getSpanContext();
      TaskRecord record =
          new TaskRecord(
              run.id(),
              run.name(),
              run.startTime(),
              run.endTime(),
              run.durationNanos(),
              sc.isValid() ? sc.getTraceId() : null,
              sc.isValid() ? sc.getSpanId() : null,
              run.calls(),
              run.pricedCalls(),
              run.unpricedCalls(),
              run.failedCalls(),
              run.inputTokens(),
              run.outputTokens(),
              run.picosByCurrency(),
              attribution,
              owner);
      if (ts != null) {
        endTaskSpan(ts.span, record);
      }
      metrics.recordTask(record);
      for (CostRecordSink sink : sinks) {
        try {
          sink.acceptTask(record);
        } catch (Throwable t) {
          failures.log("hand a task record to " + sink, t);
        }
      }
    } catch (Throwable t) {
      failures.log("record a task", t);
    }
  }

  private static void endTaskSpan(Span span, TaskRecord r) {
    span.setAttribute(AiCostAttributes.TASK_CALLS, r.calls());
    span.setAttribute(AiCostAttributes.TASK_PRICED_CALLS, r.pricedCalls());
    span.setAttribute(AiCostAttributes.TASK_UNPRICED_CALLS, r.unpricedCalls());
    span.setAttribute(AiCostAttributes.TASK_FAILED_CALLS, r.failedCalls());
    span.setAttribute(AiCostAttributes.TASK_INPUT_TOKENS, r.inputTokens());
    span.setAttribute(AiCostAttributes.TASK_OUTPUT_TOKENS, r.outputTokens());
    span.setAttribute(AiCostAttributes.TASK_COST_COMPLETE, r.isCostComplete());
    if (r.costByCurrency().size() == 1) {
      Map.Entry<String, java.math.BigDecimal> only = r.costByCurrency().entrySet().iterator().next();
      span.setAttribute(AiCostAttributes.TASK_COST_AMOUNT, only.getValue().doubleValue());
      span.setAttribute(AiCostAttributes.TASK_COST_CURRENCY, only.getKey());
    } else if (r.costByCurrency().isEmpty() && r.isCostComplete()) {
      span.setAttribute(AiCostAttributes.TASK_COST_AMOUNT, 0.0);
      span.setAttribute(AiCostAttributes.TASK_COST_CURRENCY, TaskRecord.ZERO_COST_CURRENCY);
    }
    span.end(r.endTime() != null ? r.endTime() : Instant.now());
  }

  /** What a task carries while it runs: its span and the attribution it reports. */
  private static final class TaskSpan {
    final AiCallRecorder recorder;
    final Span span;
    final String appSpanId;
    final Attribution attribution;
    final String owner;

    TaskSpan(AiCallRecorder recorder, Span span, String appSpanId, Attribution attribution, String owner) {
      this.recorder = recorder;
      this.span = span;
      this.appSpanId = appSpanId;
      this.attribution = attribution;
      this.owner = owner;
    }
  }

  /** Completes the calls handed to the recorder thread, then flushes every sink (the ledger). */
  public void flush() {
    if (completions != null) {
      completions.flush(10, TimeUnit.SECONDS);
    }
    for (CostRecordSink sink : sinks) {
      try {
        sink.flush();
      } catch (Throwable t) {
        failures.log("flush " + sink, t);
      }
    }
  }

  /**
   * Calls that completed on the calling thread although background completion is on, because the recorder thread's
   * queue was full (or closed); 0 without background completion.
   */
  public long completedOnCallingThreadWhenQueueFull() {
    return completions == null ? 0 : completions.refused();
  }

  /** Completes what is pending and stops the recorder thread (if any); calls ended later complete on their thread. */
  public void close() {
    if (completions != null) {
      completions.close(10, TimeUnit.SECONDS);
    }
    flush();
  }

  /** Adds a sink that receives every later cost record. */
  public void addSink(CostRecordSink sink) {
    Objects.requireNonNull(sink, "sink");
    synchronized (this) {
      CostRecordSink[] more = Arrays.copyOf(sinks, sinks.length + 1);
      more[more.length - 1] = sink;
      sinks = more;
    }
  }

  /**
   * Records the end of a call. The duration is taken here, on the calling thread; with background completion (the
   * agent's pipeline) the call itself is handed to the recorder thread, which reads what the response reported (the
   * handle ignores reports after its end) and does the rest (pricing, span, metrics, the ledger), so the
   * application's call pays for a queue insertion only
   * (docs/performance.md#recording-one-call). Calls counted in a task complete here: the task's totals must include
   * them when the application ends the task right after. A full queue also completes here rather than drop a call.
   */
  void complete(InFlightAiCall call, String errorType, String endReason) {
    call.durationNanos = System.nanoTime() - call.startNanos;
    call.errorType = errorType;
    call.endReason = endReason;
    if (completions != null && call.taskRun == null && completions.offer(call)) {
      return;
    }
    complete(call, CostRecord.builder());
  }

  /** On the recorder thread: one record builder serves every call, as each call sets all of its fields. */
  private void completeAll(List<InFlightAiCall> batch) {
    for (int i = 0; i < batch.size(); i++) {
      complete(batch.get(i), recorderThreadRecord);
    }
  }

  /**
   * Prices and records one ended call.
   *
   * @param recordBuilder a builder whose every field is set here, so a reused one carries nothing over from its last
   *     call
   */
  private void complete(InFlightAiCall call, CostRecord.Builder recordBuilder) {
    String errorType = call.errorType;
    String endReason = call.endReason;
    Span span = null;
    try {
      long durationNanos = call.durationNanos;
      call.freeze();
      AiCallStart start = call.start;

      Usage usage = call.usage();
      String usageUnavailable = null;
      if (call.invalidUsage() != null) {
        usageUnavailable = AiCallHandle.INVALID_USAGE;
        failures.log("read the usage of " + start.provider() + " " + start.requestModel(), call.invalidUsage());
      } else if (usage == null) {
        usageUnavailable =
            call.usageUnavailableReason() != null
                ? call.usageUnavailableReason()
                : errorType != null ? "error" : endReason != null ? endReason : "not_reported";
      }

      String tierName =
          call.responseServiceTier() != null ? call.responseServiceTier() : start.requestServiceTier();
      CostBreakdown cost = price(start, call.responseModel(), usage, tierName, call.startTime);

      span = startSpan(call);
      SpanContext sc = span.getSpanContext();
      CostRecord record =
          recordBuilder
              .timestamp(call.startTime)
              .traceId(sc.isValid() ? sc.getTraceId() : null)
              .spanId(sc.isValid() ? sc.getSpanId() : null)
              .kind(start.kind())
              .provider(start.provider())
              .operation(start.operation())
              .requestModel(start.requestModel())
              .responseModel(call.responseModel())
              .responseId(call.responseId())
              .finishReasons(call.finishReasons())
              .stream(start.stream())
              .serviceTier(cost.isPriced() ? cost.tier() : tierName)
              .serverAddress(start.serverAddress())
              .durationNanos(durationNanos)
              .errorType(errorType)
              .endReason(endReason)
              .usage(usage)
              .usageUnavailableReason(usageUnavailable)
              .cost(cost)
              .attribution(call.attribution)
              .owner(call.owner)
              .taskId(call.taskRun == null ? null : call.taskRun.id())
              .build();
      rollUp(call, record);

      endSpan(span, record, tierName, epochNanos(call.startTime) + durationNanos);
      metrics.record(record, start.serverAddress(), start.serverPort(), Context.root().with(span));
      for (CostRecordSink sink : sinks) {
        try {
          sink.accept(record);
        } catch (Throwable t) {
          failures.log("hand a cost record to " + sink, t);
        }
      }
    } catch (Throwable t) {
      failures.log("record an AI call", t);
      rollUp(call, null);
      endQuietly(span != null ? span : startSpan(call));
    }
  }

  private static void endQuietly(Span span) {
    try {
      span.end();
    } catch (Throwable ignored) {
      // the span is lost; nothing else to do
    }
  }

  private static long epochNanos(Instant t) {
    return TimeUnit.SECONDS.toNanos(t.getEpochSecond()) + t.getNano();
  }

  /** Adds the call to its task exactly once, so the task can end even when recording failed. */
  private void rollUp(InFlightAiCall call, CostRecord record) {
    TaskRun run = call.taskRun;
    if (run == null || !call.markRolledUp()) {
      return;
    }
    if (record == null) {
      run.callEnded(null, 0, 0, 0, false, true);
      return;
    }
    CostBreakdown cost = record.cost();
    Usage u = record.usage();
    run.callEnded(
        cost.isPriced() ? cost.currency() : null,
        cost.isPriced() ? cost.totalPicos() : 0,
        u == null ? 0 : u.input(),
        u == null ? 0 : u.output(),
        cost.isPriced(),
        record.errorType() != null);
  }

  private CostBreakdown price(AiCallStart start, String responseModel, Usage usage, String tierName, Instant when) {
    ServiceTier tier;
    try {
      tier = ServiceTier.parse(tierName);
    } catch (IllegalArgumentException e) {
      return CostBreakdown.unpriced("unknown_service_tier", null, calculator.catalogVersion());
    }
    // The UTC date of the call; Instant.atOffset(UTC) would build a new ZoneRules (with a ConcurrentHashMap) per call.
    LocalDate date = utcDate(when);
    PricingContext context = PricingContext.of(tier, start.region(), date);
    // The response names the exact snapshot (and, for Azure, the real model behind a deployment name); the request
    // model is the fallback, and when it is a configured deployment its region and billing apply.
    return calculator.price(start.provider(), responseModel, start.requestModel(), usage, context);
  }

  private static void endSpan(Span span, CostRecord r, String tierName, long endEpochNanos) {
    if (span.isRecording()) { // a sampled-out (or no-op) span would discard them: no boxed values for nothing
      setEndAttributes(span, r, tierName);
    }
    span.end(endEpochNanos, TimeUnit.NANOSECONDS);
  }

  private static void setEndAttributes(Span span, CostRecord r, String tierName) {
    setIfNotNull(span, AiCostAttributes.GEN_AI_RESPONSE_MODEL, r.responseModel());
    setIfNotNull(span, AiCostAttributes.GEN_AI_RESPONSE_ID, r.responseId());
    if (!r.finishReasons().isEmpty()) {
      span.setAttribute(AiCostAttributes.GEN_AI_RESPONSE_FINISH_REASONS, r.finishReasons());
    }
    setIfNotNull(span, AiCostAttributes.SERVICE_TIER, tierName);
    Usage u = r.usage();
    span.setAttribute(AiCostAttributes.USAGE_AVAILABLE, u != null);
    if (u != null) {
      span.setAttribute(AiCostAttributes.GEN_AI_USAGE_INPUT_TOKENS, u.input());
      span.setAttribute(AiCostAttributes.GEN_AI_USAGE_OUTPUT_TOKENS, u.output());
      span.setAttribute(AiCostAttributes.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, u.cacheRead());
      span.setAttribute(AiCostAttributes.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS, u.cacheWrite());
      span.setAttribute(AiCostAttributes.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, u.reasoning());
      setIfPositive(span, AiCostAttributes.USAGE_CACHE_WRITE_5M_TOKENS, u.cacheWrite5m());
      setIfPositive(span, AiCostAttributes.USAGE_CACHE_WRITE_1H_TOKENS, u.cacheWrite1h());
      setIfPositive(span, AiCostAttributes.USAGE_AUDIO_INPUT_TOKENS, u.audioInput());
      setIfPositive(span, AiCostAttributes.USAGE_AUDIO_OUTPUT_TOKENS, u.audioOutput());
      setIfPositive(span, AiCostAttributes.USAGE_IMAGE_INPUT_TOKENS, u.imageInput());
      setIfPositive(span, AiCostAttributes.USAGE_WEB_SEARCH_CALLS, u.webSearchCalls());
    } else {
      setIfNotNull(span, AiCostAttributes.USAGE_UNAVAILABLE_REASON, r.usageUnavailableReason());
    }

    CostBreakdown cost = r.cost();
    span.setAttribute(AiCostAttributes.PRICED, cost.isPriced());
    setIfNotNull(span, AiCostAttributes.PRICING_ENTRY, cost.entryId());
    setIfNotNull(span, AiCostAttributes.PRICING_CATALOG_VERSION, cost.catalogVersion());
    if (cost.isPriced()) {
      span.setAttribute(AiCostAttributes.GEN_AI_USAGE_COST_AMOUNT, AiCostMetrics.toDouble(cost.totalPicos()));
      span.setAttribute(AiCostAttributes.GEN_AI_USAGE_COST_CURRENCY, cost.currency());
      span.setAttribute(AiCostAttributes.GEN_AI_USAGE_COST_SOURCE, "local");
      span.setAttribute(AiCostAttributes.PRICING_TIER, cost.tier());
      // The non-zero lines in CostComponent order, as CostBreakdown.lines() lists them, without building that map.
      for (CostComponent component : COMPONENTS) {
        long picos = cost.amountPicos(component);
        if (picos != 0) {
          span.setAttribute(COST_LINE_KEYS.get(component.ordinal()), AiCostMetrics.toDouble(picos));
        }
      }
    } else {
      span.setAttribute(AiCostAttributes.UNPRICED_REASON, cost.unpricedReason());
    }

    if (r.errorType() != null) {
      span.setAttribute(AiCostAttributes.ERROR_TYPE, r.errorType());
      span.setStatus(StatusCode.ERROR, r.errorType());
    }
    setIfNotNull(span, AiCostAttributes.END_REASON, r.endReason());
  }

  private static final List<AttributeKey<Double>> COST_LINE_KEYS = costLineKeys();
  private static final CostComponent[] COMPONENTS = CostComponent.values();
  private static final long SECONDS_PER_DAY = 86_400L;

  /** The last date priced: the same for every call of a day, so not a new LocalDate per call. */
  private volatile PricingDay pricingDay = new PricingDay(0);

  private LocalDate utcDate(Instant when) {
    long epochDay = Math.floorDiv(when.getEpochSecond(), SECONDS_PER_DAY);
    PricingDay day = pricingDay;
    if (day.epochDay != epochDay) {
      day = new PricingDay(epochDay);
      pricingDay = day;
    }
    return day.date;
  }

  private static final class PricingDay {
    final long epochDay;
    final LocalDate date;

    PricingDay(long epochDay) {
      this.epochDay = epochDay;
      this.date = LocalDate.ofEpochDay(epochDay);
    }
  }
  /** Ended calls that may wait for the recorder thread before calls complete on their own thread again. */
  private static final int COMPLETION_QUEUE = 65_536;
  private static final int COMPLETION_BATCH = 256;
  private static final long COMPLETION_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** Span names per operation and request model; bounded like the other per-model caches. */
  private static final int MAX_SPAN_NAMES = 4096;

  private final ConcurrentHashMap<String, ConcurrentHashMap<String, String>> spanNames = new ConcurrentHashMap<>();

  /** {@code {operation} {model}}, built once per pair rather than concatenated per call. */
  private String spanName(String operation, String model) {
    if (model == null) {
      return operation;
    }
    ConcurrentHashMap<String, String> byModel = spanNames.get(operation);
    if (byModel == null) {
      byModel = spanNames.computeIfAbsent(operation, o -> new ConcurrentHashMap<>());
    }
    String name = byModel.get(model);
    if (name == null) {
      name = operation + ' ' + model;
      if (byModel.size() < MAX_SPAN_NAMES) {
        byModel.putIfAbsent(model, name);
      }
    }
    return name;
  }

  private static List<AttributeKey<Double>> costLineKeys() {
    List<AttributeKey<Double>> keys = new ArrayList<>();
    for (CostComponent c : CostComponent.values()) {
      keys.add(AttributeKey.doubleKey(AiCostAttributes.COST_PREFIX + c.id()));
    }
    return Collections.unmodifiableList(keys);
  }

  private static void setAttribution(SpanBuilder sb, Attribution a) {
    setIfNotNull(sb, AiCostAttributes.TEAM, a.team());
    setIfNotNull(sb, AiCostAttributes.FEATURE, a.feature());
    setIfNotNull(sb, AiCostAttributes.AGENT, a.agent());
    setIfNotNull(sb, AiCostAttributes.CUSTOMER, a.customer());
    setIfNotNull(sb, AiCostAttributes.EXPERIMENT, a.experiment());
    setIfNotNull(sb, AiCostAttributes.TASK, a.task());
    for (Map.Entry<String, String> e : a.custom().entrySet()) {
      sb.setAttribute(AiCostAttributes.CUSTOM_ATTRIBUTE_PREFIX + e.getKey(), e.getValue());
    }
  }

  private static <T> void setIfNotNull(SpanBuilder sb, AttributeKey<T> key, T value) {
    if (value != null) {
      sb.setAttribute(key, value);
    }
  }

  private static <T> void setIfNotNull(Span span, AttributeKey<T> key, T value) {
    if (value != null) {
      span.setAttribute(key, value);
    }
  }

  private static void setIfPositive(Span span, AttributeKey<Long> key, long value) {
    if (value > 0) {
      span.setAttribute(key, value);
    }
  }

  /** Configures an {@link AiCallRecorder}. */
  public static final class Builder {
    private final OpenTelemetry openTelemetry;
    private final CostCalculator calculator;
    private final List<CostRecordSink> sinks = new ArrayList<>();
    private String instrumentationVersion;
    private TracerProvider callSpanTracerProvider;
    private int customerMetricValues;
    private int maxSpendSeries = 2000;
    private Attribution defaults = Attribution.EMPTY;
    private String serviceName;
    private boolean completeInBackground;

    private Builder(OpenTelemetry openTelemetry, CostCalculator calculator) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      this.calculator = Objects.requireNonNull(calculator, "calculator");
    }

    public Builder addSink(CostRecordSink sink) {
      sinks.add(Objects.requireNonNull(sink, "sink"));
      return this;
    }

    /**
     * Adds {@code aicost.customer} to the {@code aicost.spend} metric for up to {@code maxValues} distinct customers
     * (later ones are counted as {@code other}); 0, the default, leaves customers off metrics.
     */
    public Builder customerMetricValues(int maxValues) {
      if (maxValues < 0) {
        throw new IllegalArgumentException("customerMetricValues must be >= 0, was " + maxValues);
      }
      this.customerMetricValues = maxValues;
      return this;
    }

    /** The most distinct attribute sets of {@code aicost.spend}; later ones are counted under team/feature "other". */
    public Builder maxSpendSeries(int maxSeries) {
      if (maxSeries < 1) {
        throw new IllegalArgumentException("maxSpendSeries must be >= 1, was " + maxSeries);
      }
      this.maxSpendSeries = maxSeries;
      return this;
    }

    /**
     * Attribution applied to every call under the scopes in force ({@code aicost.default.team}, ...): a scope or
     * trusted inbound baggage overrides it field by field.
     */
    public Builder defaults(Attribution defaults) {
      this.defaults = defaults == null ? Attribution.EMPTY : defaults;
      return this;
    }

    /** {@code service.name}: the owner of spend that no scope, baggage or default attributed to a team. */
    public Builder serviceName(String serviceName) {
      this.serviceName = serviceName;
      return this;
    }

    /**
     * Complete calls on a background thread ({@code aicost-recorder}) instead of the thread that ended them: the
     * application's call then pays for reading the response and a queue insertion, and its span, metrics and ledger
     * line follow within 100 ms (at once on {@link AiCallRecorder#flush()}). Calls in
     * a task, and any call while the queue is full, still complete on the calling thread. Off by default; the agent's
     * pipeline turns it on. Close the recorder to stop the thread.
     */
    public Builder completeInBackground(boolean enabled) {
      this.completeInBackground = enabled;
      return this;
    }

    public Builder instrumentationVersion(String version) {
      this.instrumentationVersion = version;
      return this;
    }

    /**
     * Where AI call spans come from; by default the {@link OpenTelemetry}'s tracer provider (task spans always do).
     * A call span is built and ended in one go when the call has completed, so a provider made for such spans can
     * skip what a live span needs: the agent's pipeline passes one that hands them straight to its SDK's span
     * processors ({@code dev.aicost.exporters.spans.CompletedSpanTracerProvider}).
     */
    public Builder callSpanTracerProvider(TracerProvider provider) {
      this.callSpanTracerProvider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    public AiCallRecorder build() {
      return new AiCallRecorder(this);
    }
  }

  /** Logs the first failure of each kind at WARNING and the rest at FINE, so a bug cannot flood the host's log. */
  static final class FailureLog {
    private final Logger log;
    private final java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

    FailureLog(Logger log) {
      this.log = log;
    }

    void log(String what, Throwable t) {
      try {
        String key = what + '|' + t.getClass().getName();
        Level level = seen.size() < 1000 && seen.add(key) ? Level.WARNING : Level.FINE;
        log.log(level, "aicost: failed to " + what + " (the application is not affected)", t);
      } catch (Throwable ignored) {
        // logging itself failed; never let it reach the caller
      }
    }
  }
}
