package dev.aicost.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * The hot path allocates nothing but the returned {@link CostBreakdown} once a (provider, model) pair has been seen.
 * Measured with HotSpot's per-thread allocation counter. Speed is the JMH benchmark's business.
 */
class HotPathTest {

  /** Upper bound of one CostBreakdown with compressed oops: 12 header + 11 longs + 5 refs + 1 boolean, padded. */
  private static final long BREAKDOWN_BYTES = 128;

  private static final int CALLS = 200_000;

  @Test
  void pricingASeenModelAllocatesOnlyTheBreakdown() {
    java.lang.management.ThreadMXBean std = ManagementFactory.getThreadMXBean();
    assumeTrue(std instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) std;
    assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());

    CostCalculator calc = CostCalculator.bundled();
    Usage small = Usage.builder().input(12_000).cacheRead(1_000).output(800).reasoning(200).build();
    Usage large = Usage.builder().input(300_000).cacheRead(100_000).output(800).build();
    PricingContext dated = PricingContext.DEFAULT.withDate(LocalDate.of(2026, 11, 28));
    PricingContext undated = PricingContext.DEFAULT.withServiceTier(ServiceTier.FLEX);

    long sink = 0;
    for (int i = 0; i < 300_000; i++) { // warm up: resolve, cache, JIT
      sink += run(calc, small, large, dated, undated, i);
    }
    long thread = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(thread);
    for (int i = 0; i < CALLS; i++) {
      sink += run(calc, small, large, dated, undated, i);
    }
    long allocated = mx.getThreadAllocatedBytes(thread) - before;
    System.out.printf("hot path: %.1f bytes allocated per priced call%n", (double) allocated / CALLS);
    assertThat(sink).isPositive();
    // Slack of 64 KiB for the measuring itself.
    assertThat(allocated).isLessThanOrEqualTo(CALLS * BREAKDOWN_BYTES + 65_536);
  }

  private static final PricingContext EU_WEST = PricingContext.of(ServiceTier.STANDARD, "eu-west-3",
      LocalDate.of(2026, 11, 28));
  private static final PricingContext GLOBAL = PricingContext.of(ServiceTier.STANDARD, "global",
      LocalDate.of(2026, 11, 28));

  private static long run(CostCalculator calc, Usage small, Usage large, PricingContext dated,
      PricingContext undated, int i) {
    switch (i & 7) {
      case 0:
        return calc.price("openai", "gpt-4o", small, dated).totalPicos();
      case 1:
        return calc.price("openai", "gpt-4o-mini-2024-07-18", small, undated).totalPicos(); // alias, no date
      case 2:
        return calc.price("openai", "gpt-5.4", large, dated).totalPicos(); // context tier
      case 3:
        return calc.price("openai", "ft:gpt-4o-mini-2024-07-18:acme::x1", small, dated).totalPicos();
      case 4: // inference profile, implied region global, context tier
        return calc.price("aws.bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", large, dated)
            .totalPicos();
      case 5: // region prefix 'eu-*'
        return calc.price("aws.bedrock", "eu.amazon.nova-pro-v1:0", small, EU_WEST).totalPicos();
      case 6: // exact region, Vertex @version
        return calc.price("gcp.vertex_ai", "claude-opus-4-6@default", small, GLOBAL).totalPicos();
      default: // response model and request model
        return calc.price("azure.ai.openai", "gpt-4o-2024-11-20", "gpt-4o", small, dated).totalPicos();
    }
  }
}
