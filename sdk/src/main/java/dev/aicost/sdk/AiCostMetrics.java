package dev.aicost.sdk;

import dev.aicost.bootstrap.Attribution;
import dev.aicost.pricing.CostBreakdown;
import dev.aicost.pricing.Usage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

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

  /** {@code context}: the call's span, for exemplars (the recorder may run on another thread than the call). */
  void record(CostRecord r, String serverAddress, long serverPort, Context context) {
    CallAttributes call = callAttributes(r, serverAddress, serverPort);
    Attributes base = call.base;

    Attributes durationAttributes =
        r.errorType() == null ? base : base.toBuilder().put(AiCostAttributes.ERROR_TYPE, r.errorType()).build();
    duration.record(r.durationNanos() / 1e9, durationAttributes, context);

    Usage usage = r.usage();
    if (usage != null) {
      tokenUsage.record(usage.input(), call.inputTokens, context);
      tokenUsage.record(usage.output(), call.outputTokens, context);
    }

    CostBreakdown breakdown = r.cost();
    if (breakdown.isPriced()) {
      cost.record(toDouble(breakdown.totalPicos()), call.cost(breakdown.currency()), context);
      spend.add(spendAttributes(r, breakdown.currency()), breakdown.totalPicos());
    } else if (r.errorType() == null) {
      // A failed call is not billed; an unpriced successful call is spend we could not measure.
      Attributes a =
          base.toBuilder().put(AiCostAttributes.UNPRICED_REASON, breakdown.unpricedReason()).build();
      unpricedCalls.add(1, a, context);
    }
  }

  /**
   * An amount of pico-units as a double, as {@code BigDecimal.valueOf(picos, 12).doubleValue()} computes it but
   * without allocating: up to 2^53 the long converts exactly and one correctly rounded division gives the same
   * double.
   */
  static double toDouble(long picos) {
    return Math.abs(picos) <= (1L << 53) ? picos / 1e12 : BigDecimal.valueOf(picos, 12).doubleValue();
  }

  /**
   * The attribute sets of one kind of call, built once and reused: a service makes millions of calls over a handful
   * of (operation, provider, model, server) combinations, and building and sorting {@link Attributes} per call was
   * the largest allocation on the recording path (docs/performance.md). At most {@value #MAX_CACHED} combinations are
   * kept; later ones are built per call, exactly as before.
   */
  private CallAttributes callAttributes(CostRecord r, String serverAddress, long serverPort) {
    CallKey key = new CallKey(r.operation(), r.provider(), r.requestModel(), r.responseModel(), serverAddress, serverPort);
    return callCache.get(key, CallAttributes::new);
  }

  static final int MAX_CACHED = 4096;

  private final BoundedCache<CallKey, CallAttributes> callCache = new BoundedCache<>(MAX_CACHED);
  private final BoundedCache<SpendKey, Attributes> spendCache = new BoundedCache<>(MAX_CACHED);

  /** Hash step without the varargs array of {@code Objects.hash}. */
  private static int hash(int h, String s) {
    return 31 * h + (s == null ? 0 : s.hashCode());
  }

  /** What the per-call metric attributes depend on. */
  private static final class CallKey {
    final String operation;
    final String provider;
    final String requestModel;
    final String responseModel;
    final String serverAddress;
    final long serverPort;
    private final int hash;

    CallKey(
        String operation,
        String provider,
        String requestModel,
        String responseModel,
        String serverAddress,
        long serverPort) {
      this.operation = operation;
      this.provider = provider;
      this.requestModel = requestModel;
      this.responseModel = responseModel;
      this.serverAddress = serverAddress;
      this.serverPort = serverPort;
      this.hash = hash(hash(hash(hash(hash(Long.hashCode(serverPort), operation), provider), requestModel), responseModel), serverAddress);
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof CallKey)) {
        return false;
      }
      CallKey k = (CallKey) o;
      return serverPort == k.serverPort
          && Objects.equals(operation, k.operation)
          && Objects.equals(provider, k.provider)
          && Objects.equals(requestModel, k.requestModel)
          && Objects.equals(responseModel, k.responseModel)
          && Objects.equals(serverAddress, k.serverAddress);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** The attribute sets of one {@link CallKey}: shared by duration, token usage and cost. */
  private static final class CallAttributes {
    final Attributes base;
    final Attributes inputTokens;
    final Attributes outputTokens;
    /** The cost histogram's attributes for the last currency seen (a service is billed in one). */
    private volatile CurrencyAttributes cost;

    CallAttributes(CallKey k) {
      AttributesBuilder common =
          Attributes.builder()
              .put(AiCostAttributes.GEN_AI_OPERATION_NAME, k.operation)
              .put(AiCostAttributes.GEN_AI_PROVIDER_NAME, k.provider);
      putIfNotNull(common, AiCostAttributes.GEN_AI_REQUEST_MODEL, k.requestModel);
      putIfNotNull(common, AiCostAttributes.GEN_AI_RESPONSE_MODEL, k.responseModel);
      putIfNotNull(common, AiCostAttributes.SERVER_ADDRESS, k.serverAddress);
      if (k.serverPort > 0) {
        common.put(AiCostAttributes.SERVER_PORT, k.serverPort);
      }
      base = common.build();
      inputTokens = base.toBuilder().put(AiCostAttributes.GEN_AI_TOKEN_TYPE, "input").build();
      outputTokens = base.toBuilder().put(AiCostAttributes.GEN_AI_TOKEN_TYPE, "output").build();
    }

    Attributes cost(String currency) {
      CurrencyAttributes c = cost;
      if (c == null || !c.currency.equals(currency)) {
        c =
            new CurrencyAttributes(
                currency, base.toBuilder().put(AiCostAttributes.GEN_AI_USAGE_COST_CURRENCY, currency).build());
        cost = c;
      }
      return c.attributes;
    }
  }

  private static final class CurrencyAttributes {
    final String currency;
    final Attributes attributes;

    CurrencyAttributes(String currency, Attributes attributes) {
      this.currency = currency;
      this.attributes = attributes;
    }
  }

  /** What the {@code aicost.spend} attributes depend on. */
  private static final class SpendKey {
    final String kind;
    final String provider;
    final String currency;
    final String requestModel;
    final String team;
    final String feature;
    final String agent;
    final String experiment;
    final String owner;
    final String customer;
    private final int hash;

    SpendKey(
        String kind,
        String provider,
        String currency,
        String requestModel,
        String team,
        String feature,
        String agent,
        String experiment,
        String owner,
        String customer) {
      this.kind = kind;
      this.provider = provider;
      this.currency = currency;
      this.requestModel = requestModel;
      this.team = team;
      this.feature = feature;
      this.agent = agent;
      this.experiment = experiment;
      this.owner = owner;
      this.customer = customer;
      int h = hash(hash(hash(hash(hash(0, kind), provider), currency), requestModel), team);
      this.hash = hash(hash(hash(hash(hash(h, feature), agent), experiment), owner), customer);
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof SpendKey)) {
        return false;
      }
      SpendKey k = (SpendKey) o;
      return hash == k.hash
          && Objects.equals(kind, k.kind)
          && Objects.equals(provider, k.provider)
          && Objects.equals(currency, k.currency)
          && Objects.equals(requestModel, k.requestModel)
          && Objects.equals(team, k.team)
          && Objects.equals(feature, k.feature)
          && Objects.equals(agent, k.agent)
          && Objects.equals(experiment, k.experiment)
          && Objects.equals(owner, k.owner)
          && Objects.equals(customer, k.customer);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    Attributes build() {
      AttributesBuilder b =
          Attributes.builder()
              .put(AiCostAttributes.KIND, kind)
              .put(AiCostAttributes.GEN_AI_PROVIDER_NAME, provider)
              .put(AiCostAttributes.CURRENCY, currency);
      // The requested model: what the application chose, stable and low in cardinality (not the dated snapshot).
      putIfNotNull(b, AiCostAttributes.GEN_AI_REQUEST_MODEL, requestModel);
      putIfNotNull(b, AiCostAttributes.TEAM, team);
      putIfNotNull(b, AiCostAttributes.FEATURE, feature);
      putIfNotNull(b, AiCostAttributes.AGENT, agent);
      putIfNotNull(b, AiCostAttributes.EXPERIMENT, experiment);
      putIfNotNull(b, AiCostAttributes.OWNER, owner);
      putIfNotNull(b, AiCostAttributes.CUSTOMER, customer);
      return b.build();
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
    Attribution a = r.attribution();
    SpendKey key =
        new SpendKey(
            r.kind(),
            r.provider(),
            currency,
            r.requestModel(),
            a.team(),
            a.feature(),
            a.agent(),
            a.experiment(),
            r.owner(),
            customers != null ? customers.limit(a.customer()) : null);
    return spendCache.get(key, SpendKey::build);
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
