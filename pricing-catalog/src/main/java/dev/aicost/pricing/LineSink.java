package dev.aicost.pricing;

/** Receives the arithmetic of a priced call, for {@link CostCalculator#explain}. The hot path passes none. */
interface LineSink {

  /** {@code quantity} tokens (calls for web search) at {@code rate} pico-units each gave {@code amount}. */
  void line(CostComponent component, String what, long quantity, CostComponent rateOf, long rate, long amount);

  /** A discount changed a line from {@code before} to {@code after}. */
  void discount(CostComponent component, long before, long after);
}
