package dev.aicost.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Import of a LiteLLM price map: conversion of every field, what is skipped and why, and layering rules. */
class LiteLlmImportTest {

  private static final LiteLlmImport.Result SAMPLE = LiteLlmImport.parse(resource("litellm/sample-map.json"), "sample-map.json");

  @Test
  void convertsEveryPricedDimensionExactly() {
    PricingCatalog c = SAMPLE.catalog();
    ModelEntry sonnet = c.model("anthropic", "claude-sonnet-4-5");
    PriceSet p = sonnet.prices().get(0);
    assertThat(p.effectiveFrom()).hasToString("1970-01-01");
    assertThat(p.source()).isEqualTo("litellm:sample-map.json#claude-sonnet-4-5");
    Rates std = p.rates().standard();
    assertThat(std.price(CostComponent.INPUT)).isEqualByComparingTo("3");
    assertThat(std.price(CostComponent.OUTPUT)).isEqualByComparingTo("15");
    assertThat(std.price(CostComponent.CACHE_READ)).isEqualByComparingTo("0.3");
    assertThat(std.price(CostComponent.CACHE_WRITE_5M)).isEqualByComparingTo("3.75");
    assertThat(std.price(CostComponent.CACHE_WRITE_1H)).isEqualByComparingTo("6");
    assertThat(std.price(CostComponent.WEB_SEARCH)).isEqualByComparingTo("10"); // 0.01 per query = 10 per 1K
    assertThat(p.billedAsText()).containsExactly(CostComponent.IMAGE_INPUT); // supports_vision
    ContextTier big = p.rates().contextTiers().get(0);
    assertThat(big.name()).isEqualTo(">200k");
    assertThat(big.operator()).isEqualTo(ContextTier.Operator.GREATER_THAN);
    assertThat(big.threshold()).isEqualTo(200_000);
    assertThat(big.rates().standard().price(CostComponent.INPUT)).isEqualByComparingTo("6");
    assertThat(big.rates().standard().price(CostComponent.CACHE_READ)).isEqualByComparingTo("0.6");

    Rates flash = c.model("gcp.gemini", "gemini-2.5-flash-preview-09-2025").prices().get(0).rates().standard();
    assertThat(flash.price(CostComponent.AUDIO_INPUT)).isEqualByComparingTo("1");
    assertThat(flash.price(CostComponent.REASONING)).isEqualByComparingTo("2.5");
    RateCard card = c.model("gcp.gemini", "gemini-2.5-flash-preview-09-2025").prices().get(0).rates();
    assertThat(card.rates(ServiceTier.BATCH).price(CostComponent.INPUT)).isEqualByComparingTo("0.15");
    assertThat(card.rates(ServiceTier.PRIORITY).price(CostComponent.OUTPUT)).isEqualByComparingTo("4.5");
    assertThat(c.model("mistral_ai", "mistral-embed-9").mode()).isEqualTo("embeddings");
    // 1.6666666666e-07 per token = 0.16666666666 per 1M, rounded half-even to 6 decimals.
    assertThat(c.model("together_ai", "some-org/tiny-model").prices().get(0).rates().standard()
        .price(CostComponent.INPUT)).isEqualByComparingTo("0.166667");
  }

  @Test
  void mapsLiteLlmProvidersToGenAiProviderNames() {
    assertThat(SAMPLE.catalog().providers()).containsExactlyInAnyOrder(
        "openai", "anthropic", "openrouter", "gcp.gemini", "gcp.vertex_ai", "together_ai", "mistral_ai");
    assertThat(SAMPLE.catalog().model("gcp.vertex_ai", "claude-opus-4-9@default")).isNotNull();
    assertThat(SAMPLE.catalog().model("openrouter", "anthropic/claude-3.5-sonnet")).isNotNull();
  }

  @Test
  void skipsWhatItCannotPriceAndSaysWhy() {
    assertThat(SAMPLE.skipped()).containsOnly(
        java.util.Map.entry("not priced per token (images, video, per-second or per-character prices)", 1),
        java.util.Map.entry("region or route variants (e.g. bedrock/us-east-1/..., azure/eu/...)", 2),
        java.util.Map.entry("without a usable litellm_provider", 1),
        java.util.Map.entry("rejected by validation", 2));
    assertThat(SAMPLE.examples()).contains(
        "too-dear: rejected by validation (prices[0].input: must be <= 1000000, was 2000000)",
        "dall-e-3: not priced per token (images, video, per-second or per-character prices)");
    assertThat(SAMPLE.examples()).contains("broken-model: rejected by validation"
        + " (prices[0].context_tiers[0].cache_read: must be >= 0, was -1000000)");
    assertThat(SAMPLE.summary()).startsWith("imported 7 models from sample-map.json (6 skipped: ")
        .contains("2 rejected by validation").contains("1 without a usable litellm_provider");
  }

  @Test
  void theBundledCatalogWinsUnlessTheImportIsPreferred() {
    PricingCatalog under = LiteLlmImport.layerUnder(PricingCatalog.bundled(), SAMPLE, false);
    CostCalculator calc = CostCalculator.of(under);
    Usage u = Usage.of(1_000_000, 0);
    // gpt-4o: bundled 2.50, the map says 5.
    assertThat(calc.price("openai", "gpt-4o", u, null).total()).isEqualByComparingTo("2.5");
    // claude-sonnet-4-5 is bundled too; the preview Gemini model is not, so it comes from the map.
    assertThat(calc.price("gcp.gemini", "gemini-2.5-flash-preview-09-2025", u, null).total()).isEqualByComparingTo("0.3");
    assertThat(calc.price("openrouter", "anthropic/claude-3.5-sonnet", u, null).total()).isEqualByComparingTo("3");
    assertThat(under.catalogVersion()).startsWith("2026.11.28+litellm-");
    // A name the bundled catalog resolves (the @default version) is not taken from the import either.
    assertThat(calc.resolve("gcp.vertex_ai", "claude-opus-4-9@default").entry().origin)
        .isEqualTo("sample-map.json");

    CostCalculator preferred = CostCalculator.of(LiteLlmImport.layerUnder(PricingCatalog.bundled(), SAMPLE, true));
    assertThat(preferred.price("openai", "gpt-4o", u, null).total()).isEqualByComparingTo("5");
    // the bundled aliases of a replaced entry are kept
    assertThat(preferred.price("openai", "gpt-4o", u, null).entryId()).isEqualTo("openai/gpt-4o");
  }

  @Test
  void importSpecificationSyntax() {
    CatalogImport plain = CatalogImport.parse("litellm:/data/prices.json");
    assertThat(plain.file()).isEqualTo(Paths.get("/data/prices.json"));
    assertThat(plain.preferImport()).isFalse();
    assertThat(CatalogImport.parse("litellm:/data/prices.json,prefer-import").preferImport()).isTrue();
    assertThatThrownBy(() -> CatalogImport.parse("portkey:/x.json"))
        .hasMessage("'portkey:/x.json' is not a price import: expected litellm:FILE or litellm:FILE,prefer-import");
    assertThatThrownBy(() -> CatalogImport.parse("litellm:"))
        .hasMessage("'litellm:' names no file: expected litellm:FILE");
  }

  @Test
  void aFileThatIsNotAPriceMapIsRejectedWithItsPosition() {
    assertThatThrownBy(() -> LiteLlmImport.parse("[1, 2]", "list.json"))
        .isInstanceOf(CatalogValidationException.class)
        .hasMessageContaining("not a LiteLLM price map: expected a JSON object of model name to prices, was an array");
    assertThatThrownBy(() -> LiteLlmImport.parse("{\"a\": ", "cut.json"))
        .isInstanceOf(CatalogValidationException.class)
        .hasMessageContaining("cut.json");
  }

  /** The full community map, when the reference snapshot is available (it is not vendored: 1.5 MB). */
  @Test
  void importsTheWholeReferenceMap() throws IOException {
    Path full = Paths.get("/work/shared/reference/pricing/litellm/model_prices_and_context_window.json");
    Assumptions.assumeTrue(Files.isRegularFile(full), "reference LiteLLM map not present");
    LiteLlmImport.Result r = LiteLlmImport.read(full);
    assertThat(r.catalog().models()).hasSizeGreaterThan(2_000);
    assertThat(r.skipped()).doesNotContainKey("rejected by validation");
    CostCalculator calc = CostCalculator.of(LiteLlmImport.layerUnder(PricingCatalog.bundled(), r, false));
    assertThat(calc.price("deepinfra", "meta-llama/meta-llama-3.1-8b-instruct", Usage.of(1_000_000, 0), null)
        .isPriced()).isTrue();
  }

  private static String resource(String name) {
    try (InputStream in = LiteLlmImportTest.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
