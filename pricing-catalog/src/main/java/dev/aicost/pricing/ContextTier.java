package dev.aicost.pricing;

/**
 * Rates that apply to a <em>whole</em> request once its input crosses a threshold (for example "above 272K input
 * tokens"): every line of the request, cached input and output included, moves to these rates. The input counted is
 * the normalized {@link Usage#input()}, which includes cached and cache-write tokens.
 */
public final class ContextTier {

  /** How the threshold is compared, as the provider words it. */
  public enum Operator {
    /** Applies when input &gt; threshold ("above 200K tokens"). */
    GREATER_THAN(">"),
    /** Applies when input &ge; threshold ("200K tokens or more"). */
    AT_LEAST(">=");

    private final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    static Operator parse(String s) {
      for (Operator o : values()) {
        if (o.symbol.equals(s)) {
          return o;
        }
      }
      return null;
    }
  }

  private final String name;
  private final Operator operator;
  private final long threshold;
  private final RateCard rates;

  ContextTier(String name, Operator operator, long threshold, RateCard rates) {
    this.name = name;
    this.operator = operator;
    this.threshold = threshold;
    this.rates = rates;
  }

  /** The tier's name, appended to the tier label of a breakdown, e.g. {@code >272k} gives {@code standard>272k}. */
  public String name() {
    return name;
  }

  public Operator operator() {
    return operator;
  }

  public long threshold() {
    return threshold;
  }

  /** Whether a request with this many (normalized) input tokens falls in this tier. */
  public boolean appliesTo(long inputTokens) {
    return operator == Operator.GREATER_THAN ? inputTokens > threshold : inputTokens >= threshold;
  }

  /** The tier's rates: standard, plus the service tiers offered at this context size. */
  public RateCard rates() {
    return rates;
  }

  @Override
  public String toString() {
    return name + " (input " + operator.symbol + ' ' + threshold + ')';
  }
}
