package dev.aicost.sdk;

import dev.aicost.bootstrap.Attribution;
import dev.aicost.pricing.CostBreakdown;
import dev.aicost.pricing.Usage;
import java.time.Instant;
import java.util.List;

/** Everything aicost knows about one completed AI call: what the span says, as one immutable value. */
public final class CostRecord {

  private final Instant timestamp;
  private final String traceId;
  private final String spanId;
  private final String kind;
  private final String provider;
  private final String operation;
  private final String requestModel;
  private final String responseModel;
  private final String responseId;
  private final List<String> finishReasons;
  private final boolean stream;
  private final String serviceTier;
  private final String serverAddress;
  private final long durationNanos;
  private final String errorType;
  private final String endReason;
  private final Usage usage;
  private final String usageUnavailableReason;
  private final CostBreakdown cost;
  private final Attribution attribution;
  private final String owner;
  private final String taskId;

  private CostRecord(Builder b) {
    this.timestamp = b.timestamp;
    this.traceId = b.traceId;
    this.spanId = b.spanId;
    this.kind = b.kind;
    this.provider = b.provider;
    this.operation = b.operation;
    this.requestModel = b.requestModel;
    this.responseModel = b.responseModel;
    this.responseId = b.responseId;
    this.finishReasons = b.finishReasons;
    this.stream = b.stream;
    this.serviceTier = b.serviceTier;
    this.serverAddress = b.serverAddress;
    this.durationNanos = b.durationNanos;
    this.errorType = b.errorType;
    this.endReason = b.endReason;
    this.usage = b.usage;
    this.usageUnavailableReason = b.usageUnavailableReason;
    this.cost = b.cost;
    this.attribution = b.attribution;
    this.owner = b.owner;
    this.taskId = b.taskId;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** When the call started. */
  public Instant timestamp() {
    return timestamp;
  }

  /** Hex trace id of the call's span, or {@code null} when tracing is off. */
  public String traceId() {
    return traceId;
  }

  public String spanId() {
    return spanId;
  }

  /** {@code llm} or {@code gpu}. */
  public String kind() {
    return kind;
  }

  public String provider() {
    return provider;
  }

  public String operation() {
    return operation;
  }

  public String requestModel() {
    return requestModel;
  }

  public String responseModel() {
    return responseModel;
  }

  public String responseId() {
    return responseId;
  }

  public List<String> finishReasons() {
    return finishReasons;
  }

  public boolean stream() {
    return stream;
  }

  /** The service tier the call was priced at ({@code standard}, {@code batch}, ...), or {@code null}. */
  public String serviceTier() {
    return serviceTier;
  }

  public String serverAddress() {
    return serverAddress;
  }

  public long durationNanos() {
    return durationNanos;
  }

  /** {@code error.type} when the call failed, else {@code null}. */
  public String errorType() {
    return errorType;
  }

  /** How the call ended when the caller gave up on it ({@code cancelled}, ...), else {@code null}. */
  public String endReason() {
    return endReason;
  }

  /** Normalized usage, or {@code null} when the response carried none. */
  public Usage usage() {
    return usage;
  }

  public String usageUnavailableReason() {
    return usageUnavailableReason;
  }

  /** The price, or an unpriced breakdown with its reason; never {@code null}. */
  public CostBreakdown cost() {
    return cost;
  }

  /**
   * The effective attribution: configured defaults, trusted inbound baggage and the scopes in force, with team
   * {@code unattributed} when none of them named one.
   */
  public Attribution attribution() {
    return attribution;
  }

  /** The service that owns unattributed spend ({@code service.name}); {@code null} when a team is known. */
  public String owner() {
    return owner;
  }

  /** The id of the task this call rolled up to, or {@code null} when it was not counted in a task. */
  public String taskId() {
    return taskId;
  }

  /** Builds a {@link CostRecord}. */
  public static final class Builder {
    private Instant timestamp = Instant.EPOCH;
    private String traceId;
    private String spanId;
    private String kind = "llm";
    private String provider;
    private String operation;
    private String requestModel;
    private String responseModel;
    private String responseId;
    private List<String> finishReasons = List.of();
    private boolean stream;
    private String serviceTier;
    private String serverAddress;
    private long durationNanos;
    private String errorType;
    private String endReason;
    private Usage usage;
    private String usageUnavailableReason;
    private CostBreakdown cost;
    private Attribution attribution = Attribution.EMPTY;
    private String owner;
    private String taskId;

    private Builder() {}

    public Builder owner(String v) {
      owner = v;
      return this;
    }

    public Builder taskId(String v) {
      taskId = v;
      return this;
    }

    public Builder timestamp(Instant v) {
      timestamp = v;
      return this;
    }

    public Builder traceId(String v) {
      traceId = v;
      return this;
    }

    public Builder spanId(String v) {
      spanId = v;
      return this;
    }

    public Builder kind(String v) {
      kind = v;
      return this;
    }

    public Builder provider(String v) {
      provider = v;
      return this;
    }

    public Builder operation(String v) {
      operation = v;
      return this;
    }

    public Builder requestModel(String v) {
      requestModel = v;
      return this;
    }

    public Builder responseModel(String v) {
      responseModel = v;
      return this;
    }

    public Builder responseId(String v) {
      responseId = v;
      return this;
    }

    /**
     * The finish reasons, copied: the record does not change if {@code v} does. A list that is immutable already (as
     * the recorder's are) is kept as it is, without a copy or a wrapper.
     *
     * @throws NullPointerException if an element is null
     */
    public Builder finishReasons(List<String> v) {
      finishReasons = v == null ? List.of() : List.copyOf(v);
      return this;
    }

    public Builder stream(boolean v) {
      stream = v;
      return this;
    }

    public Builder serviceTier(String v) {
      serviceTier = v;
      return this;
    }

    public Builder serverAddress(String v) {
      serverAddress = v;
      return this;
    }

    public Builder durationNanos(long v) {
      durationNanos = v;
      return this;
    }

    public Builder errorType(String v) {
      errorType = v;
      return this;
    }

    public Builder endReason(String v) {
      endReason = v;
      return this;
    }

    public Builder usage(Usage v) {
      usage = v;
      return this;
    }

    public Builder usageUnavailableReason(String v) {
      usageUnavailableReason = v;
      return this;
    }

    public Builder cost(CostBreakdown v) {
      cost = v;
      return this;
    }

    public Builder attribution(Attribution v) {
      attribution = v == null ? Attribution.EMPTY : v;
      return this;
    }

    public CostRecord build() {
      if (provider == null || operation == null || cost == null) {
        throw new IllegalStateException("provider, operation and cost are required");
      }
      return new CostRecord(this);
    }
  }
}
