package dev.aicost.benchmarks;

import dev.aicost.pricing.CostBreakdown;
import dev.aicost.pricing.CostCalculator;
import dev.aicost.pricing.PricingCatalog;
import dev.aicost.pricing.PricingContext;
import dev.aicost.pricing.ServiceTier;
import dev.aicost.pricing.Usage;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Price resolution + calculation for an already-seen model id, on one thread: what the recorder does for every AI
 * call. Each benchmark prices one call with {@link CostCalculator#price} against the bundled catalog; the only
 * allocation expected is the returned {@link CostBreakdown} (check {@code gc.alloc.rate.norm} with {@code -prof gc}).
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar CatalogBenchmark -prof gc -rf json -rff benchmarks/results/catalog.json
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Threads(1)
public class CatalogBenchmark {

  private static final LocalDate DAY = LocalDate.of(2026, 11, 28);

  private CostCalculator bundled;
  private CostCalculator withDeployments;

  private Usage chat;
  private Usage cachedChat;
  private Usage longContext;
  private PricingContext standard;
  private PricingContext today;
  private PricingContext bedrockUsEast;
  private PricingContext vertexGlobal;
  private PricingContext batch;

  /** Ids of several providers, priced in turn: the id changes on every call, as in a mixed workload. */
  private String[][] mixed;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    bundled = CostCalculator.bundled();
    withDeployments = CostCalculator.of(PricingCatalog.bundled().layer(PricingCatalog.parse("""
        {"schema_version": 1, "catalog_version": "bench", "models": [],
         "deployments": [{"provider": "azure.ai.openai", "name": "chat-prod", "model": "gpt-4o-2024-11-20",
                          "region": "data_zone"}]}
        """, "benchmark deployments")));
    chat = Usage.builder().input(1_200).output(350).build();
    cachedChat = Usage.builder().input(12_000).cacheRead(10_240).cacheWrite5m(1_000).output(800).reasoning(200)
        .build();
    longContext = Usage.builder().input(250_000).cacheRead(100_000).cacheWrite1h(20_000).output(2_000).build();
    standard = PricingContext.of(ServiceTier.STANDARD, null, DAY);
    today = PricingContext.DEFAULT;
    bedrockUsEast = PricingContext.of(ServiceTier.STANDARD, "us-east-1", DAY);
    vertexGlobal = PricingContext.of(ServiceTier.STANDARD, "global", DAY);
    batch = PricingContext.of(ServiceTier.BATCH, null, DAY);
    mixed = new String[][] {
      {"openai", "gpt-4o-2024-08-06"},
      {"anthropic", "claude-sonnet-4-5-20250929"},
      {"aws.bedrock", "us.anthropic.claude-haiku-4-5-20251001-v1:0"},
      {"gcp.gemini", "models/gemini-2.5-flash"},
      {"gcp.vertex_ai", "claude-opus-4-6@default"},
      {"azure.ai.openai", "gpt-4.1-mini-2025-04-14"},
      {"openai", "ft:gpt-4o-mini-2024-07-18:acme::x1"},
      {"mistral_ai", "mistral-large-latest"},
    };
    // Resolve every name once: the benchmark measures already-seen ids.
    for (String[] pm : mixed) {
      check(bundled.price(pm[0], pm[1], cachedChat, standard));
    }
    check(exactId());
    check(alias());
    check(bedrockProfileLongContext());
    check(vertexClaudeGlobal());
    check(batchTier());
    check(azureDeploymentByRequestModel());
    check(todayFromTheClock());
  }

  private static void check(CostBreakdown b) {
    if (!b.isPriced()) {
      throw new IllegalStateException("benchmark call is not priced: " + b);
    }
  }

  /** OpenAI exact id, plain usage. */
  @Benchmark
  public CostBreakdown exactId() {
    return bundled.price("openai", "gpt-4o", chat, standard);
  }

  /** Anthropic dated alias with cache read, cache write and reasoning lines. */
  @Benchmark
  public CostBreakdown alias() {
    return bundled.price("anthropic", "claude-sonnet-4-5-20250929", cachedChat, standard);
  }

  /** Bedrock us. profile (resolved through the profile prefix) above the 200K context tier. */
  @Benchmark
  public CostBreakdown bedrockProfileLongContext() {
    return bundled.price("aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", longContext, bedrockUsEast);
  }

  /** Vertex AI @version name priced in region global (regional price lookup). */
  @Benchmark
  public CostBreakdown vertexClaudeGlobal() {
    return bundled.price("gcp.vertex_ai", "claude-sonnet-4-5@20250929", cachedChat, vertexGlobal);
  }

  /** Batch service tier. */
  @Benchmark
  public CostBreakdown batchTier() {
    return bundled.price("openai", "gpt-4o-mini-2024-07-18", chat, batch);
  }

  /** Azure: response model + deployment name of the request (two cached lookups, deployment region). */
  @Benchmark
  public CostBreakdown azureDeploymentByRequestModel() {
    return withDeployments.price("azure.ai.openai", "gpt-4o-2024-11-20", "chat-prod", chat, standard);
  }

  /** No date in the context: today's prices, read from the clock. */
  @Benchmark
  public CostBreakdown todayFromTheClock() {
    return bundled.price("openai", "gpt-4o", chat, today);
  }

  /** Eight providers in turn. */
  @Benchmark
  public CostBreakdown mixedProviders() {
    String[] pm = mixed[next];
    next = (next + 1) & 7;
    return bundled.price(pm[0], pm[1], cachedChat, standard);
  }
}
