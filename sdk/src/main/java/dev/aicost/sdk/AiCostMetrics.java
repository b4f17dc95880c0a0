package dev.aicost.sdk;

import dev.aicost.bootstrap.Attribution;
import dev.aicost.pricing.CostBreakdown;
import dev.aicost.pricing.Usage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.Arrays;
import java.util.List;

/** The metric instruments of the telemetry contract and how one call updates them. */
final class AiCostMetrics {

  /** Bucket boundaries the GenAI semantic conventions advise for {@code gen_ai.client.token.usage}. */
  static final List<Long> TOKEN_BUCKETS =
      Arrays.asList(
          1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L, 1048576L, 4194304L, 16777216L, 67108864L);

  /** Bucket boundaries the GenAI semantic conventions advise for {@code gen_ai.client.operation.duration}. */
  static final List<Double> DURATION_BUCKETS =
      Arrays.asList(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);

  /** Per-call cost in currency units: from a hundredth of a cent to tens of dollars. */
  static final List<Double> COST_BUCKETS =
      Arrays.asList(
          0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 50.0);

  /** Per-task cost: tasks make several calls, so the range reaches higher than per call. */
  static final List<Double> TASK_COST_BUCKETS =
      Arrays.asList(
          0.0, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0);

  private final LongHistogram tokenUsage;
  private final DoubleHistogram duration;
  private final DoubleHistogram cost;
  private final LongCounter unpricedCalls;
  private final DoubleHistogram taskCost;
  private final LongCounter untrustedInbound;
  private final SpendAggregator spend;
  private final CustomerValueLimiter customers;

  AiCostMetrics(Meter meter, SpendAggregator spend, CustomerValueLimiter customers) {
    this.spend = spend;
    this.customers = customers;
    this.tokenUsage =
        meter
            .histogramBuilder("gen_ai.client.token.usage")
            .ofLongs()
            .setUnit("{token}")
            .setDescription("Number of input and output tokens used per AI call.")
            .setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS)
            .build();
    this.duration =
        meter
            .histogramBuilder("gen_ai.client.operation.duration")
            .setUnit("s")
            .setDescription("Duration of AI client operations.")
            .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
            .build();
    this.cost =
        meter
            .histogramBuilder("gen_ai.client.operation.cost")
            .setUnit("{USD}")
            .setDescription("Cost of one priced AI call, in the currency named by gen_ai.usage.cost.currency.")
            .setExplicitBucketBoundariesAdvice(COST_BUCKETS)
            .build();
    this.unpricedCalls =
        meter
            .counterBuilder("aicost.unpriced.calls")
            .setUnit("{call}")
            .setDescription("AI calls that could not be priced, by reason.")
            .build();
    this.taskCost =
        meter
            .histogramBuilder("aicost.task.cost")
            .setUnit("{USD}")
            .setDescription(
                "Total cost of one task (unit of work), in the currency named by aicost.currency; tasks whose calls"
                    + " were all priced.")
            .setExplicitBucketBoundariesAdvice(TASK_COST_BUCKETS)
            .build();
    this.untrustedInbound =
        meter
            .counterBuilder("aicost.attribution.untrusted_inbound")
            .setUnit("{entry}")
            .setDescription("Inbound aicost.* baggage entries ignored because their key or source is not trusted.")
            .build();
    meter
        .counterBuilder("aicost.spend")
        .ofDoubles()
        .setUnit("{USD}")
        .setDescription("All AI spend, exact running total per attribution, in the currency named by aicost.currency.")
        .buildWithCallback(spend::observe);
  }

  void record(CostRecord r, String serverAddress, long serverPort) {
    AttributesBuilder common =
        Attributes.builder()
            .put(AiCostAttributes.GEN_AI_OPERATION_NAME, r.operation())
            .put(AiCostAttributes.GEN_AI_PROVIDER_NAME, r.provider());
    putIfNotNull(common, AiCostAttributes.GEN_AI_REQUEST_MODEL, r.requestModel());
    putIfNotNull(common, AiCostAttributes.GEN_AI_RESPONSE_MODEL, r.responseModel());
    putIfNotNull(common, AiCostAttributes.SERVER_ADDRESS, serverAddress);
    if (serverPort > 0) {
      common.put(AiCostAttributes.SERVER_PORT, serverPort);
    }
    Attributes base = common.build();

    Attributes durationAttributes =
        r.errorType() == null ? base : base.toBuilder().put(AiCostAttributes.ERROR_TYPE, r.errorType()).build();
    duration.record(r.durationNanos() / 1e9, durationAttributes);

    Usage usage = r.usage();
    if (usage != null) {
      tokenUsage.record(usage.input(), base.toBuilder().put(AiCostAttributes.GEN_AI_TOKEN_TYPE, "input").build());
      tokenUsage.record(usage.output(), base.toBuilder().put(AiCostAttributes.GEN_AI_TOKEN_TYPE, "output").build());
    }

    CostBreakdown breakdown = r.cost();
    if (breakdown.isPriced()) {
      cost.record(
          breakdown.total().doubleValue(),
          base.toBuilder().put(AiCostAttributes.GEN_AI_USAGE_COST_CURRENCY, breakdown.currency()).build());
      spend.add(spendAttributes(r, breakdown.currency()), breakdown.totalPicos());
    } else if (r.errorType() == null) {
      // A failed call is not billed; an unpriced successful call is spend we could not measure.
      Attributes a =
          base.toBuilder().put(AiCostAttributes.UNPRICED_REASON, breakdown.unpricedReason()).build();
      unpricedCalls.add(1, a);
    }
  }

  /** Records a task's cost once per currency it spent in; a task with unpriced calls has no known total. */
  void recordTask(TaskRecord t) {
    if (!t.isCostComplete()) {
      return;
    }
    AttributesBuilder b = Attributes.builder().put(AiCostAttributes.TASK, t.name());
    putLowCardinalityAttribution(b, t.attribution(), t.owner());
    if (t.costByCurrency().isEmpty()) {
      taskCost.record(0.0, b.put(AiCostAttributes.CURRENCY, TaskRecord.ZERO_COST_CURRENCY).build());
      return;
    }
    Attributes base = b.build();
    for (java.util.Map.Entry<String, java.math.BigDecimal> e : t.costByCurrency().entrySet()) {
      taskCost.record(e.getValue().doubleValue(), base.toBuilder().put(AiCostAttributes.CURRENCY, e.getKey()).build());
    }
  }

  /** Counts an inbound baggage entry that was ignored; unknown keys are folded so a caller cannot add series. */
  void untrustedInbound(String baggageKey) {
    untrustedInbound.add(1, Attributes.of(AiCostAttributes.BAGGAGE_KEY, boundedKey(baggageKey)));
  }

  private static String boundedKey(String key) {
    switch (key) {
      case "aicost.team":
      case "aicost.feature":
      case "aicost.agent":
      case "aicost.customer":
      case "aicost.experiment":
      case "aicost.task":
        return key;
      default:
        return key.startsWith("aicost.attr.") ? "aicost.attr.*" : "aicost.*";
    }
  }

  private Attributes spendAttributes(CostRecord r, String currency) {
    AttributesBuilder b =
        Attributes.builder()
            .put(AiCostAttributes.KIND, r.kind())
            .put(AiCostAttributes.GEN_AI_PROVIDER_NAME, r.provider())
            .put(AiCostAttributes.CURRENCY, currency);
    // The requested model: what the application chose, stable and low in cardinality (not the dated snapshot).
    putIfNotNull(b, AiCostAttributes.GEN_AI_REQUEST_MODEL, r.requestModel());
    Attribution a = r.attribution();
    putLowCardinalityAttribution(b, a, r.owner());
    if (customers != null) {
      putIfNotNull(b, AiCostAttributes.CUSTOMER, customers.limit(a.customer()));
    }
    return b.build();
  }

  /** The attribution that metrics carry: team, feature, agent, experiment, owner (never custom keys or tasks). */
  private static void putLowCardinalityAttribution(AttributesBuilder b, Attribution a, String owner) {
    putIfNotNull(b, AiCostAttributes.TEAM, a.team());
    putIfNotNull(b, AiCostAttributes.FEATURE, a.feature());
    putIfNotNull(b, AiCostAttributes.AGENT, a.agent());
    putIfNotNull(b, AiCostAttributes.EXPERIMENT, a.experiment());
    putIfNotNull(b, AiCostAttributes.OWNER, owner);
  }

  private static <T> void putIfNotNull(
      AttributesBuilder b, io.opentelemetry.api.common.AttributeKey<T> key, T value) {
    if (value != null) {
      b.put(key, value);
    }
  }
}
