package dev.aicost.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-computed prices across every bundled provider and every pricing rule. Each row names the published prices it
 * uses (USD per 1M tokens unless said otherwise) and the arithmetic; the expected total is compared exactly, in
 * pico-dollars, never with a tolerance. Rows marked {@code user} price against the bundled catalog with
 * {@code catalogs/table-user-catalog.json} layered over it (discounts, deployments, a self-hosted model).
 */
class PricingTableTest {

  private static final LocalDate DAY = LocalDate.of(2026, 11, 28);
  private static final CostCalculator BUNDLED = CostCalculator.bundled();
  private static final CostCalculator USER = CostCalculator.of(PricingCatalog.bundled().layer(
      PricingCatalog.parse(resource("catalogs/table-user-catalog.json"), "table-user-catalog.json")));

  /** One row: what is priced, and either the exact total with the tier label or the unpriced reason. */
  record Row(
      String name,
      boolean user,
      String provider,
      String model,
      String requestModel,
      Usage usage,
      ServiceTier tier,
      String region,
      LocalDate date,
      String expected,
      String tierOrReason) {

    @Override
    public String toString() {
      return name;
    }
  }

  private static final List<Row> ROWS = new ArrayList<>();

  /** Builds a row; finish it with {@link B#is} or {@link B#unpriced}. */
  private static B row(String name, String provider, String model) {
    return new B(name, provider, model);
  }

  private static final class B {
    final String name;
    final String provider;
    final String model;
    boolean user;
    String requestModel;
    Usage.Builder u = Usage.builder();
    Usage usage;
    boolean nullUsage;
    ServiceTier tier = ServiceTier.STANDARD;
    String region;
    LocalDate date = DAY;

    B(String name, String provider, String model) {
      this.name = name;
      this.provider = provider;
      this.model = model;
    }

    B user() {
      user = true;
      return this;
    }

    B request(String m) {
      requestModel = m;
      return this;
    }

    B in(long n) {
      u.input(n);
      return this;
    }

    B out(long n) {
      u.output(n);
      return this;
    }

    B cached(long n) {
      u.cacheRead(n);
      return this;
    }

    B write5m(long n) {
      u.cacheWrite5m(n);
      return this;
    }

    B write1h(long n) {
      u.cacheWrite1h(n);
      return this;
    }

    B reasoning(long n) {
      u.reasoning(n);
      return this;
    }

    B audioIn(long n) {
      u.audioInput(n);
      return this;
    }

    B audioOut(long n) {
      u.audioOutput(n);
      return this;
    }

    B image(long n) {
      u.imageInput(n);
      return this;
    }

    B searches(long n) {
      u.webSearchCalls(n);
      return this;
    }

    B noUsage() {
      nullUsage = true;
      return this;
    }

    B tier(ServiceTier t) {
      tier = t;
      return this;
    }

    B region(String r) {
      region = r;
      return this;
    }

    B on(String isoDate) {
      date = LocalDate.parse(isoDate);
      return this;
    }

    void is(String total, String tierLabel) {
      add(total, tierLabel);
    }

    void unpriced(String reason) {
      add(null, reason);
    }

    private void add(String expected, String tierOrReason) {
      ROWS.add(new Row(name, user, provider, model, requestModel, nullUsage ? null : u.build(), tier, region, date,
          expected, tierOrReason));
    }
  }

  static {
    // ------------------------------------------------------------------------------------------------ openai
    // gpt-4o: input 2.50, output 10. 12,000 x 2.50 = 0.03; 800 x 10 = 0.008.
    row("openai plain input and output", "openai", "gpt-4o").in(12_000).out(800).is("0.038", "standard");
    // gpt-4o-2024-08-06 (own entry): input 2.50, cached 1.25, output 10. 6,000 x 2.50 + 4,000 x 1.25 + 1,000 x 10.
    row("openai cached input is part of input, billed once", "openai", "gpt-4o-2024-08-06")
        .in(10_000).cached(4_000).out(1_000).is("0.03", "standard");
    // provider prefix: gpt-4o-mini 0.15/0.60. 100,000 x 0.15 + 10,000 x 0.60.
    row("openai provider/model prefix", "openai", "openai/gpt-4o-mini").in(100_000).out(10_000).is("0.021", "standard");
    // dated snapshot alias, batch: gpt-4o-mini batch 0.075/0.30.
    row("openai batch tier from the response", "openai", "gpt-4o-mini-2024-07-18").tier(ServiceTier.BATCH)
        .in(100_000).out(10_000).is("0.0105", "batch");
    // gpt-4o-mini batch has no cached rate: cached tokens at the batch input rate 0.075, never the standard 0.075
    // cached rate plus input. 100,000 x 0.075.
    row("openai batch tier is complete on its own", "openai", "gpt-4o-mini").tier(ServiceTier.BATCH)
        .in(100_000).cached(50_000).is("0.0075", "batch");
    // o3 after the 2025-06-10 cut: 2/8. Reasoning is output: 1,000 x 2 + 5,000 x 8.
    row("openai reasoning billed as output", "openai", "o3").in(1_000).out(5_000).reasoning(4_000)
        .is("0.042", "standard");
    // o3 before the cut: 10/40. 1,000 x 10 + 5,000 x 40.
    row("openai effective-dated price before a cut", "openai", "o3").on("2025-06-01").in(1_000).out(5_000)
        .reasoning(4_000).is("0.21", "standard");
    row("openai date before the first price", "openai", "o3").on("2025-04-01").in(1).unpriced("no_price_for_date");
    // ft: gpt-4o-mini fine-tune inference 0.30/1.20. 10,000 x 0.30 + 1,000 x 1.20.
    row("openai fine-tune at the base's fine-tune rates", "openai", "ft:gpt-4o-mini-2024-07-18:acme::x1")
        .in(10_000).out(1_000).is("0.0042", "ft:standard");
    row("openai fine-tune of a base without fine-tune price", "openai", "ft:gpt-5:acme::x1").in(1)
        .unpriced("no_fine_tune_price");
    // gpt-5 flex 0.625/5. 100,000 x 0.625 + 10,000 x 5.
    row("openai flex tier", "openai", "gpt-5").tier(ServiceTier.FLEX).in(100_000).out(10_000)
        .is("0.1125", "flex");
    // gpt-5 1.25/10, web search 10 per 1K calls: 0.00125 + 0.001 + 3 x 0.01.
    row("openai web search calls per 1K", "openai", "gpt-5").in(1_000).out(100).searches(3)
        .is("0.03225", "standard");
    // gpt-5.4 >272K: input 5, cached 0.50, output 22.50, the whole request. 200,000 x 5 + 100,000 x 0.5 + 10,000 x 22.5.
    row("openai context tier moves the whole request", "openai", "gpt-5.4").in(300_000).cached(100_000)
        .out(10_000).is("1.275", "standard>272k");
    // exactly 272,000 is not above 272K: 272,000 x 2.50.
    row("openai context tier threshold is exclusive", "openai", "gpt-5.4").in(272_000).is("0.68", "standard");
    row("openai tier not offered above the context threshold", "openai", "gpt-5.4").tier(ServiceTier.BATCH)
        .in(300_000).unpriced("no_price_for_tier");
    row("openai priority not priced for gpt-5.5", "openai", "gpt-5.5").tier(ServiceTier.PRIORITY).in(1)
        .unpriced("no_price_for_tier");
    // text-embedding-3-small 0.02: 50,000 x 0.02.
    row("openai embeddings", "openai", "text-embedding-3-small").in(50_000).is("0.001", "standard");
    row("openai embeddings have no output price", "openai", "text-embedding-3-small").in(50_000).out(10)
        .unpriced("no_price_for_output");
    // gpt-4o-audio-preview: text 2.50/10, audio 40/80. 8,000 x 2.5 + 2,000 x 40 + 500 x 10 + 500 x 80.
    row("openai audio input and output", "openai", "gpt-4o-audio-preview").in(10_000).audioIn(2_000).out(1_000)
        .audioOut(500).is("0.145", "standard");
    row("openai unknown model is unpriced, never zero", "openai", "gpt-9").in(1).unpriced("unknown_model");
    row("openai no usage in the response", "openai", "gpt-4o").noUsage().unpriced("usage_unavailable");
    // 4e12 tokens x 2.5e6 pico-dollars = 1e19 > Long.MAX_VALUE: never a wrapped amount.
    row("amounts beyond the exact range", "openai", "gpt-4o").in(4_000_000_000_000L).unpriced("cost_overflow");

    // --------------------------------------------------------------------------------------- azure.ai.openai
    // gpt-4o-2024-11-20 global: 2.50, cached 1.25, output 10. 8,000 x 2.5 + 2,000 x 1.25 + 1,000 x 10.
    row("azure global deployment", "azure.ai.openai", "gpt-4o-2024-11-20").in(10_000).cached(2_000).out(1_000)
        .is("0.0325", "standard");
    // data zone 1.1x: 2.75, 1.375, 11. 8,000 x 2.75 + 2,000 x 1.375 + 1,000 x 11.
    row("azure data-zone deployment 1.1x", "azure.ai.openai", "gpt-4o-2024-11-20").region("data_zone")
        .in(10_000).cached(2_000).out(1_000).is("0.03575", "standard@data_zone");
    // gpt-4.1 global batch 1/4: 100,000 x 1 + 10,000 x 4.
    row("azure global batch", "azure.ai.openai", "gpt-4.1-2025-04-14").tier(ServiceTier.BATCH).in(100_000)
        .out(10_000).is("0.14", "batch");
    // gpt-4.1 data-zone batch 1.10/4.40.
    row("azure data-zone batch", "azure.ai.openai", "gpt-4.1").tier(ServiceTier.BATCH).region("data_zone")
        .in(100_000).out(10_000).is("0.154", "batch@data_zone");
    // gpt-5.1 priority (global) 2.50/20: 10,000 x 2.5 + 1,000 x 20.
    row("azure priority processing", "azure.ai.openai", "gpt-5.1-2025-11-13").tier(ServiceTier.PRIORITY)
        .in(10_000).out(1_000).is("0.045", "priority");
    row("azure priority not published for data zones", "azure.ai.openai", "gpt-5.1").tier(ServiceTier.PRIORITY)
        .region("regional").in(1).unpriced("no_price_for_tier");
    // text-embedding-3-large 0.13: 1,000,000 x 0.13.
    row("azure embeddings", "azure.ai.openai", "text-embedding-3-large").in(1_000_000).is("0.13", "standard");
    // user: deployment chat-prod -> gpt-4o-2024-11-20 in data_zone; the response names the model. As above: 0.03575.
    row("azure deployment region applies when the response names the model", "azure.ai.openai", "gpt-4o-2024-11-20")
        .user().request("chat-prod").in(10_000).cached(2_000).out(1_000).is("0.03575", "standard@data_zone");
    row("azure deployment name resolves when the response has no model", "azure.ai.openai", null).user()
        .request("chat-prod").in(10_000).cached(2_000).out(1_000).is("0.03575", "standard@data_zone");
    row("azure provisioned deployment is never priced per token", "azure.ai.openai", "gpt-4o-2024-11-20").user()
        .request("chat-ptu").in(1).unpriced("provisioned_throughput");

    // ------------------------------------------------------------------------------------------- anthropic
    // claude-sonnet-4-5: 3/15. 10,000 x 3 + 1,000 x 15.
    row("anthropic dated id", "anthropic", "claude-sonnet-4-5-20250929").in(10_000).out(1_000)
        .is("0.045", "standard");
    // cache read 0.30, 5-min write 3.75: 2,000 x 3 + 6,000 x 0.3 + 2,000 x 3.75 + 500 x 15.
    row("anthropic cache read and 5-minute write", "anthropic", "claude-sonnet-4-5").in(10_000).cached(6_000)
        .write5m(2_000).out(500).is("0.0228", "standard");
    // haiku 4.5: 1/5, 1-hour write 2. 2,000 x 1 + 8,000 x 2 + 100 x 5.
    row("anthropic 1-hour cache write at 2x", "anthropic", "claude-haiku-4-5").in(10_000).write1h(8_000).out(100)
        .is("0.0185", "standard");
    // >200K: input 6, cache read 0.60, 1-hour write 12, output 22.50 for every line.
    // 130,000 x 6 + 100,000 x 0.6 + 20,000 x 12 + 2,000 x 22.5 = 0.78 + 0.06 + 0.24 + 0.045.
    row("anthropic long context moves every line", "anthropic", "claude-sonnet-4-5-20250929").in(250_000)
        .cached(100_000).write1h(20_000).out(2_000).is("1.125", "standard>200k");
    // exactly 200,000 input tokens does not exceed 200K: 200,000 x 3 + 1,000 x 15.
    row("anthropic 200K exactly stays in the small tier", "anthropic", "claude-sonnet-4-5").in(200_000).out(1_000)
        .is("0.615", "standard");
    // 200,001 x 6 + 1,000 x 22.5 = 1.200006 + 0.0225.
    row("anthropic one token over 200K", "anthropic", "claude-sonnet-4-5").in(200_001).out(1_000)
        .is("1.222506", "standard>200k");
    // batch above 200K: 3/11.25. 300,000 x 3 + 10,000 x 11.25.
    row("anthropic long context stacks with batch", "anthropic", "claude-sonnet-4-5").tier(ServiceTier.BATCH)
        .in(300_000).out(10_000).is("1.0125", "batch>200k");
    // opus 4.1 batch: 7.50, cache read 0.75, output 37.50. 80,000 x 7.5 + 20,000 x 0.75 + 10,000 x 37.5.
    row("anthropic batch with cache reads", "anthropic", "claude-opus-4-1").tier(ServiceTier.BATCH).in(100_000)
        .cached(20_000).out(10_000).is("0.99", "batch");
    row("anthropic priority tier is not published", "anthropic", "claude-opus-4-6").tier(ServiceTier.PRIORITY)
        .in(1).unpriced("no_price_for_tier");
    // inference_geo us: 1.1x of 5/25 = 5.50/27.50. 10,000 x 5.5 + 1,000 x 27.5.
    row("anthropic US-only inference 1.1x", "anthropic", "claude-opus-4-6").region("us").in(10_000).out(1_000)
        .is("0.0825", "standard@us");
    // web search 10 per 1K: 2,000 x 3 + 500 x 15 + 5 x 0.01.
    row("anthropic web search requests", "anthropic", "claude-sonnet-4-5").in(2_000).out(500).searches(5)
        .is("0.0635", "standard");
    row("anthropic web search on a model without it", "anthropic", "claude-3-haiku-20240307").in(10).searches(1)
        .unpriced("no_price_for_web_search");
    row("anthropic date before a known price", "anthropic", "claude-3-5-haiku-20241022").on("2024-12-01").in(1)
        .unpriced("no_price_for_date");
    // opus 4 (alias claude-opus-4-20250514): 15/75. 1,000 x 15 + 1,000 x 75.
    row("anthropic alias", "anthropic", "claude-opus-4-20250514").in(1_000).out(1_000).is("0.09", "standard");
    row("anthropic provider prefix and dated id", "anthropic", "anthropic/claude-sonnet-4-5-20250929").in(10_000)
        .out(1_000).is("0.045", "standard");
    // image tokens are billed as text input: 5,000 x 3 + 100 x 15.
    row("anthropic image input billed as text", "anthropic", "claude-sonnet-4-5").in(5_000).image(3_000).out(100)
        .is("0.0165", "standard");
    row("anthropic audio input is not a Claude dimension", "anthropic", "claude-sonnet-4-5").in(100).audioIn(100)
        .unpriced("no_price_for_audio_input");
    // user: model discount 25% beats pattern 20% and provider 10%. (1,000 x 15 + 1,000 x 75) x 0.75.
    row("discount by model is the most specific", "anthropic", "claude-opus-4-1-20250805").user().in(1_000)
        .out(1_000).is("0.0675", "standard");
    // user: pattern claude-opus-.* 20%. opus 4.5 5/25: (0.005 + 0.025) x 0.8.
    row("discount by pattern", "anthropic", "claude-opus-4-5").user().in(1_000).out(1_000).is("0.024", "standard");
    // user: provider 10%. (0.03 + 0.015) x 0.9.
    row("discount by provider", "anthropic", "claude-sonnet-4-5").user().in(10_000).out(1_000)
        .is("0.0405", "standard");

    // ------------------------------------------------------------------------------------------ gcp.gemini
    // gemini-2.5-flash 0.30/2.50, thinking is output: 10,000 x 0.3 + 2,000 x 2.5.
    row("gemini thinking billed as output", "gcp.gemini", "gemini-2.5-flash").in(10_000).out(2_000)
        .reasoning(1_500).is("0.008", "standard");
    // models/ prefix; cached 0.03: 2,000 x 0.3 + 8,000 x 0.03 + 100 x 2.5.
    row("gemini models/ prefix and cached input", "gcp.gemini", "models/gemini-2.5-flash").in(10_000)
        .cached(8_000).out(100).is("0.00109", "standard");
    // audio input 1.00: 6,000 x 0.3 + 4,000 x 1 + 100 x 2.5.
    row("gemini audio input at its own rate", "gcp.gemini", "gemini-2.5-flash").in(10_000).audioIn(4_000)
        .out(100).is("0.00605", "standard");
    // 2.5 Pro over 200K: 2.50, cached 0.25, output 15. 200,000 x 2.5 + 100,000 x 0.25 + 1,000 x 15.
    row("gemini pro long context", "gcp.gemini", "gemini-2.5-pro").in(300_000).cached(100_000).out(1_000)
        .is("0.54", "standard>200k");
    // 200,000 x 1.25 + 1,000 x 10: prompts <= 200K stay small.
    row("gemini pro at 200K exactly", "gcp.gemini", "gemini-2.5-pro").in(200_000).out(1_000).is("0.26", "standard");
    // 2.5 Pro bills audio at the text rate: 100,000 x 1.25.
    row("gemini pro audio billed as text", "gcp.gemini", "gemini-2.5-pro").in(100_000).audioIn(50_000)
        .is("0.125", "standard");
    // batch 0.625, cached 0.0625, output 5: 8,000 x 0.625 + 2,000 x 0.0625 + 1,000 x 5.
    row("gemini batch", "gcp.gemini", "gemini-2.5-pro").tier(ServiceTier.BATCH).in(10_000).cached(2_000)
        .out(1_000).is("0.010125", "batch");
    row("gemini priority not offered for 2.5 pro", "gcp.gemini", "gemini-2.5-pro").tier(ServiceTier.PRIORITY)
        .in(1).unpriced("no_price_for_tier");
    // 3 Pro priority above 200K: 7.20/32.40. 250,000 x 7.2 + 1,000 x 32.4.
    row("gemini priority above 200K", "gcp.gemini", "gemini-3-pro-preview").tier(ServiceTier.PRIORITY)
        .in(250_000).out(1_000).is("1.8324", "priority>200k");
    // 3.6 Flash flex 0.75, cached 0.075, output 3.75: 60,000 x 0.75 + 40,000 x 0.075 + 10,000 x 3.75.
    row("gemini flex", "gcp.gemini", "gemini-3.6-flash").tier(ServiceTier.FLEX).in(100_000).cached(40_000)
        .out(10_000).is("0.0855", "flex");
    row("gemini audio without a published price", "gcp.gemini", "gemini-3.5-flash").in(100).audioIn(10)
        .unpriced("no_price_for_audio_input");
    row("gemini 2.5 before the cache-price change is unpriced", "gcp.gemini", "gemini-2.5-flash").on("2025-12-01")
        .in(1).unpriced("no_price_for_date");
    // gemini-embedding-001 0.15.
    row("gemini embeddings", "gcp.gemini", "gemini-embedding-001").in(1_000_000).is("0.15", "standard");
    // gemini-2.0-flash-001 alias: 0.10/0.40.
    row("gemini versioned alias", "gcp.gemini", "gemini-2.0-flash-001").in(1_000_000).out(1_000_000)
        .is("0.5", "standard");

    // --------------------------------------------------------------------------------------- gcp.vertex_ai
    // Claude Sonnet 4.5 regional endpoint: 3.30/16.50. 10,000 x 3.3 + 1,000 x 16.5.
    row("vertex claude regional endpoint +10%", "gcp.vertex_ai", "claude-sonnet-4-5@20250929")
        .region("us-east5").in(10_000).out(1_000).is("0.0495", "standard");
    row("vertex claude global endpoint", "gcp.vertex_ai", "claude-sonnet-4-5@20250929").region("global")
        .in(10_000).out(1_000).is("0.045", "standard@global");
    // @default version; global: 5/25, 5-min write 6.25. 8,000 x 5 + 2,000 x 6.25 + 1,000 x 25.
    row("vertex @default version", "gcp.vertex_ai", "claude-opus-4-6@default").region("global").in(10_000)
        .write5m(2_000).out(1_000).is("0.0775", "standard@global");
    // regional >200K: 1.1 x 6 = 6.60. 300,000 x 6.6.
    row("vertex long context with the regional uplift", "gcp.vertex_ai", "claude-sonnet-4-5")
        .region("europe-west1").in(300_000).is("1.98", "standard>200k");
    // Opus 4.1 has no regional premium: 15/75.
    row("vertex claude before 4.5 has one price", "gcp.vertex_ai", "claude-opus-4-1@20250805").region("us-east5")
        .in(1_000).out(1_000).is("0.09", "standard");
    // global batch 1.50/7.50: 100,000 x 1.5 + 10,000 x 7.5.
    row("vertex claude batch at the global endpoint", "gcp.vertex_ai", "claude-sonnet-4-5").region("global")
        .tier(ServiceTier.BATCH).in(100_000).out(10_000).is("0.225", "batch@global");
    // Vertex prices Gemini 2.0 Flash at 0.15 (Gemini API: 0.10).
    row("vertex gemini 2.0 flash", "gcp.vertex_ai", "gemini-2.0-flash").in(1_000_000).is("0.15", "standard");
    // publishers/google/models/ path: 2.5 Pro 1.25/10.
    row("vertex publisher resource path", "gcp.vertex_ai", "publishers/google/models/gemini-2.5-pro")
        .in(10_000).out(1_000).is("0.0225", "standard");
    // Gemini 3.1 Flash-Lite regional 1.1 x 0.25 = 0.275.
    row("vertex gemini regional uplift", "gcp.vertex_ai", "gemini-3.1-flash-lite").region("us-central1")
        .in(1_000_000).is("0.275", "standard");
    row("vertex gemini global endpoint", "gcp.vertex_ai", "gemini-3.1-flash-lite").region("global")
        .in(1_000_000).is("0.25", "standard@global");

    // ----------------------------------------------------------------------------------------- aws.bedrock
    // Sonnet 4.5 in-region: 3.30/16.50. 10,000 x 3.3 + 1,000 x 16.5.
    row("bedrock in-region claude 4.5 +10%", "aws.bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0")
        .region("us-east-1").in(10_000).out(1_000).is("0.0495", "standard");
    row("bedrock us. profile: geographic price", "aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")
        .region("us-east-1").in(10_000).out(1_000).is("0.0495", "standard");
    // global. profile: headline 3/15.
    row("bedrock global. profile: headline price", "aws.bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0")
        .region("us-east-1").in(10_000).out(1_000).is("0.045", "standard@global");
    row("bedrock ARN of a global profile", "aws.bedrock",
            "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0")
        .in(10_000).out(1_000).is("0.045", "standard@global");
    // eu. profile above 200K: 6.60, cached 0.66, output 24.75. 200,000 x 6.6 + 50,000 x 0.66 + 1,000 x 24.75.
    row("bedrock eu. profile long context", "aws.bedrock", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0")
        .region("eu-central-1").in(250_000).cached(50_000).out(1_000).is("1.37775", "standard>200k");
    // GovCloud 1.2 x 3/15 = 3.60/18.
    row("bedrock GovCloud", "aws.bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0").region("us-gov-west-1")
        .in(10_000).out(1_000).is("0.054", "standard@us-gov-west-1");
    row("bedrock 1-hour cache writes not offered for Sonnet 4", "aws.bedrock",
            "us.anthropic.claude-sonnet-4-20250514-v1:0").in(2_000).write1h(1_000)
        .unpriced("no_price_for_cache_write_1h");
    // Haiku 4.5 geographic batch: 1.1 x 0.5 = 0.55 / 2.75.
    row("bedrock batch", "aws.bedrock", "us.anthropic.claude-haiku-4-5-20251001-v1:0").tier(ServiceTier.BATCH)
        .in(100_000).out(10_000).is("0.0825", "batch");
    // Nova Pro US 0.80/3.20.
    row("bedrock nova pro", "aws.bedrock", "amazon.nova-pro-v1:0").region("us-east-1").in(10_000).out(1_000)
        .is("0.0112", "standard");
    // EU source regions 1.05/4.20 ('eu-*').
    row("bedrock nova pro from an EU region", "aws.bedrock", "eu.amazon.nova-pro-v1:0").region("eu-west-3")
        .in(10_000).out(1_000).is("0.0147", "standard@eu-*");
    // Nova Micro has no cache-read price: cached tokens at 0.035. 10,000 x 0.035 + 1,000 x 0.14.
    row("bedrock nova cached tokens at the input rate", "aws.bedrock", "amazon.nova-micro-v1:0").in(10_000)
        .cached(5_000).out(1_000).is("0.00049", "standard");
    // Llama 3.3 70B 0.72/0.72.
    row("bedrock llama", "aws.bedrock", "meta.llama3-3-70b-instruct-v1:0").in(1_000_000).out(1_000_000)
        .is("1.44", "standard");
    // Llama 4 Maverick batch 0.12/0.485.
    row("bedrock llama 4 batch", "aws.bedrock", "us.meta.llama4-maverick-17b-instruct-v1:0")
        .tier(ServiceTier.BATCH).in(1_000_000).out(100_000).is("0.1685", "batch");
    // Mixtral in eu-west-3: 0.59/0.91 (exact region entry).
    row("bedrock mistral regional price", "aws.bedrock", "mistral.mixtral-8x7b-instruct-v0:1").region("eu-west-3")
        .in(1_000_000).out(1_000_000).is("1.5", "standard@eu-west-3");
    // Titan Text Embeddings V2 0.02; Cohere Embed English v3 0.10.
    row("bedrock titan embeddings", "aws.bedrock", "amazon.titan-embed-text-v2:0").in(1_000_000)
        .is("0.02", "standard");
    row("bedrock cohere embeddings", "aws.bedrock", "cohere.embed-english-v3").in(1_000_000).is("0.1", "standard");
    // DeepSeek V3.2 outside the US: 0.74/2.22 ('ap-*').
    row("bedrock deepseek region prefix", "aws.bedrock", "deepseek.v3.2").region("ap-northeast-1")
        .in(1_000_000).out(1_000_000).is("2.96", "standard@ap-*");
    // DeepSeek R1 1.35/5.40, reasoning is output: 1,000 x 1.35 + 10,000 x 5.4.
    row("bedrock deepseek r1", "aws.bedrock", "us.deepseek.r1-v1:0").in(1_000).out(10_000).reasoning(8_000)
        .is("0.05535", "standard");
    row("bedrock has no web search price", "aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")
        .in(10).searches(1).unpriced("no_price_for_web_search");
    // user: application inference profile -> Haiku 4.5, in-region 1.10/5.50.
    row("bedrock application inference profile by deployment", "aws.bedrock",
            "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4")
        .user().region("us-east-1").in(10_000).out(1_000).is("0.0165", "standard");

    // ------------------------------------------------------------------------- OpenAI-compatible providers
    // Mistral Large 3 (latest) 0.50/1.50.
    row("mistral large", "mistral_ai", "mistral-large-latest").in(1_000_000).out(100_000).is("0.65", "standard");
    row("mistral -latest before a covered date", "mistral_ai", "mistral-large-latest").on("2025-06-01").in(1)
        .unpriced("no_price_for_date");
    row("mistral embeddings", "mistral_ai", "mistral-embed").in(1_000_000).is("0.1", "standard");
    // DeepSeek V4 Flash: miss 0.14, hit 0.0028, output 0.28. 20,000 x 0.14 + 80,000 x 0.0028 + 10,000 x 0.28.
    row("deepseek cache hits", "deepseek", "deepseek-v4-flash").in(100_000).cached(80_000).out(10_000)
        .is("0.005824", "standard");
    row("deepseek moving alias before a covered date", "deepseek", "deepseek-chat").on("2026-08-01").in(1)
        .unpriced("no_price_for_date");
    // grok-4 over 128K: 6/30. 150,000 x 6 + 1,000 x 30.
    row("xai long context", "x_ai", "grok-4-0709").in(150_000).out(1_000).is("0.93", "standard>128k");
    // grok-4.1 fast 0.20, cached 0.05, output 0.50, tools 5 per 1K.
    // 50,000 x 0.2 + 50,000 x 0.05 + 10,000 x 0.5 + 2 x 0.005.
    row("xai cached input and tool calls", "x_ai", "grok-4-1-fast-reasoning").in(100_000).cached(50_000)
        .out(10_000).searches(2).is("0.0275", "standard");
    // Groq Llama 3.3 70B 0.59/0.79.
    row("groq llama", "groq", "llama-3.3-70b-versatile").in(1_000_000).out(1_000_000).is("1.38", "standard");
    row("groq batch is not in the references", "groq", "openai/gpt-oss-20b").tier(ServiceTier.BATCH).in(1)
        .unpriced("no_price_for_tier");
    // Together Llama 3.3 70B Turbo 0.88; names compared lower-cased.
    row("together mixed-case model id", "together_ai", "meta-llama/Llama-3.3-70B-Instruct-Turbo").in(1_000_000)
        .is("0.88", "standard");
    row("together embeddings", "together_ai", "BAAI/bge-base-en-v1.5").in(1_000_000).is("0.008", "standard");
    // Fireworks gpt-oss-120b: 0.15, cached 0.015, output 0.60. 500,000 x 0.15 + 500,000 x 0.015 + 100,000 x 0.6.
    row("fireworks accounts/ path", "fireworks_ai", "accounts/fireworks/models/gpt-oss-120b").in(1_000_000)
        .cached(500_000).out(100_000).is("0.1425", "standard");

    // ----------------------------------------------------------------------------------------------- user
    // self-hosted model added by the user catalog: 0.20/0.20.
    row("user-added self-hosted model", "selfhosted", "llama-3.3-70b-vllm").user().in(1_000_000).out(1_000_000)
        .is("0.4", "standard");
  }

  static Stream<Arguments> rows() {
    return ROWS.stream().map(Arguments::of);
  }

  @Test
  void coversEveryProviderWithAtLeast80Rows() {
    assertThat(ROWS).hasSizeGreaterThanOrEqualTo(80);
    assertThat(ROWS.stream().map(Row::provider).distinct())
        .containsAll(PricingCatalog.bundled().providers());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void pricesExactly(Row r) {
    CostCalculator calc = r.user() ? USER : BUNDLED;
    PricingContext ctx = PricingContext.of(r.tier(), r.region(), r.date());
    CostBreakdown b = r.requestModel() == null
        ? calc.price(r.provider(), r.model(), r.usage(), ctx)
        : calc.price(r.provider(), r.model(), r.requestModel(), r.usage(), ctx);
    if (r.expected() == null) {
      assertThat(b.isPriced()).as("%s: %s", r.name(), b).isFalse();
      assertThat(b.unpricedReason()).as(r.name()).isEqualTo(r.tierOrReason());
      return;
    }
    assertThat(b.isPriced()).as("%s: %s", r.name(), b).isTrue();
    long expected = new BigDecimal(r.expected()).movePointRight(CostBreakdown.SCALE).longValueExact();
    assertThat(b.totalPicos()).as("%s: %s", r.name(), b).isEqualTo(expected);
    assertThat(b.tier()).as(r.name()).isEqualTo(r.tierOrReason());
    long sum = 0;
    for (CostComponent c : CostComponent.values()) {
      sum += b.amountPicos(c);
    }
    assertThat(sum).as("lines add up to the total").isEqualTo(b.totalPicos());
    // explain() shows the same arithmetic.
    if (r.requestModel() == null) {
      assertThat(calc.explain(r.provider(), r.model(), r.usage(), ctx).breakdown().totalPicos()).isEqualTo(expected);
    }
  }

  private static String resource(String name) {
    try (InputStream in = PricingTableTest.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
