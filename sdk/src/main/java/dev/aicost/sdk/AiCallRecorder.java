package dev.aicost.sdk;

import dev.aicost.bootstrap.AiCallHandle;
import dev.aicost.bootstrap.AiCallSink;
import dev.aicost.bootstrap.AiCallStart;
import dev.aicost.bootstrap.Attribution;
import dev.aicost.bootstrap.AttributionContext;
import dev.aicost.pricing.CostBreakdown;
import dev.aicost.pricing.CostCalculator;
import dev.aicost.pricing.CostComponent;
import dev.aicost.pricing.PricingContext;
import dev.aicost.pricing.ServiceTier;
import dev.aicost.pricing.Usage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
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

  private final Tracer tracer;
  private final AiCostMetrics metrics;
  private final CostCalculator calculator;
  private final List<CostRecordSink> sinks;
  private final FailureLog failures = new FailureLog(logger);

  private AiCallRecorder(Builder b) {
    String version = b.instrumentationVersion != null ? b.instrumentationVersion : AiCostVersion.get();
    this.tracer =
        b.openTelemetry.getTracerProvider().tracerBuilder(INSTRUMENTATION_SCOPE).setInstrumentationVersion(version).build();
    this.metrics =
        new AiCostMetrics(
            b.openTelemetry.getMeterProvider().meterBuilder(INSTRUMENTATION_SCOPE).setInstrumentationVersion(version).build(),
            new SpendAggregator(b.maxSpendSeries),
            b.customerMetricValues > 0 ? new CustomerValueLimiter(b.customerMetricValues) : null);
    this.calculator = b.calculator;
    this.sinks = new CopyOnWriteArrayList<>(b.sinks);
  }

  public static Builder builder(OpenTelemetry openTelemetry, CostCalculator calculator) {
    return new Builder(openTelemetry, calculator);
  }

  @Override
  public AiCallHandle start(AiCallStart start) {
    try {
      Attribution attribution = AttributionContext.current();
      long startNanos = System.nanoTime();
      Instant startTime = Instant.now();
      String model = start.requestModel();
      SpanBuilder sb =
          tracer
              .spanBuilder(model == null ? start.operation() : start.operation() + ' ' + model)
              .setSpanKind(SpanKind.CLIENT)
              .setParent(Context.current())
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
      setAttribution(sb, attribution);
      return new InFlightAiCall(this, start, attribution, sb.startSpan(), startNanos, startTime);
    } catch (Throwable t) {
      failures.log("start an AI call", t);
      return AiCallHandle.NOOP;
    }
  }

  /** Flushes every sink (the ledger); the agent calls this at shutdown. */
  public void flush() {
    for (CostRecordSink sink : sinks) {
      try {
        sink.flush();
      } catch (Throwable t) {
        failures.log("flush " + sink, t);
      }
    }
  }

  /** Adds a sink that receives every later cost record. */
  public void addSink(CostRecordSink sink) {
    sinks.add(Objects.requireNonNull(sink, "sink"));
  }

  void complete(InFlightAiCall call, String errorType, String endReason) {
    try {
      long durationNanos = System.nanoTime() - call.startNanos;
      InFlightAiCall.Reported reported = call.reported();
      AiCallStart start = call.start;

      Usage usage = reported.usage;
      String usageUnavailable = null;
      if (reported.invalidUsage != null) {
        usageUnavailable = "invalid_usage";
        failures.log("read the usage of " + start.provider() + " " + start.requestModel(), reported.invalidUsage);
      } else if (usage == null) {
        usageUnavailable =
            reported.usageUnavailableReason != null
                ? reported.usageUnavailableReason
                : errorType != null ? "error" : endReason != null ? endReason : "not_reported";
      }

      String tierName = reported.responseServiceTier != null ? reported.responseServiceTier : start.requestServiceTier();
      CostBreakdown cost = price(start, reported, usage, tierName, call.startTime);

      Span span = call.span;
      SpanContext sc = span.getSpanContext();
      CostRecord record =
          CostRecord.builder()
              .timestamp(call.startTime)
              .traceId(sc.isValid() ? sc.getTraceId() : null)
              .spanId(sc.isValid() ? sc.getSpanId() : null)
              .kind(start.kind())
              .provider(start.provider())
              .operation(start.operation())
              .requestModel(start.requestModel())
              .responseModel(reported.responseModel)
              .responseId(reported.responseId)
              .finishReasons(reported.finishReasons)
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
              .build();

      endSpan(span, record, tierName);
      metrics.record(record, start.serverAddress(), start.serverPort());
      for (CostRecordSink sink : sinks) {
        try {
          sink.accept(record);
        } catch (Throwable t) {
          failures.log("hand a cost record to " + sink, t);
        }
      }
    } catch (Throwable t) {
      failures.log("record an AI call", t);
      try {
        call.span.end();
      } catch (Throwable ignored) {
        // the span is lost; nothing else to do
      }
    }
  }

  private CostBreakdown price(
      AiCallStart start, InFlightAiCall.Reported reported, Usage usage, String tierName, Instant when) {
    ServiceTier tier;
    try {
      tier = ServiceTier.parse(tierName);
    } catch (IllegalArgumentException e) {
      return CostBreakdown.unpriced("unknown_service_tier", null, calculator.catalogVersion());
    }
    PricingContext context = PricingContext.of(tier, start.region(), when.atOffset(ZoneOffset.UTC).toLocalDate());
    // The response names the exact snapshot (and, for Azure, the real model behind a deployment name); the request
    // model is the fallback, and when it is a configured deployment its region and billing apply.
    return calculator.price(start.provider(), reported.responseModel, start.requestModel(), usage, context);
  }

  private static void endSpan(Span span, CostRecord r, String tierName) {
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
      span.setAttribute(AiCostAttributes.GEN_AI_USAGE_COST_AMOUNT, cost.total().doubleValue());
      span.setAttribute(AiCostAttributes.GEN_AI_USAGE_COST_CURRENCY, cost.currency());
      span.setAttribute(AiCostAttributes.GEN_AI_USAGE_COST_SOURCE, "local");
      span.setAttribute(AiCostAttributes.PRICING_TIER, cost.tier());
      for (Map.Entry<CostComponent, java.math.BigDecimal> line : cost.lines().entrySet()) {
        span.setAttribute(COST_LINE_KEYS.get(line.getKey().ordinal()), line.getValue().doubleValue());
      }
    } else {
      span.setAttribute(AiCostAttributes.UNPRICED_REASON, cost.unpricedReason());
    }

    if (r.errorType() != null) {
      span.setAttribute(AiCostAttributes.ERROR_TYPE, r.errorType());
      span.setStatus(StatusCode.ERROR, r.errorType());
    }
    setIfNotNull(span, AiCostAttributes.END_REASON, r.endReason());
    span.end();
  }

  private static final List<AttributeKey<Double>> COST_LINE_KEYS = costLineKeys();

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
    private int customerMetricValues;
    private int maxSpendSeries = 2000;

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

    public Builder instrumentationVersion(String version) {
      this.instrumentationVersion = version;
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
