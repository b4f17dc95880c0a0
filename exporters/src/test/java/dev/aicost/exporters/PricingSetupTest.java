package dev.aicost.exporters;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.pricing.CostCalculator;
import dev.aicost.pricing.PricingContext;
import dev.aicost.pricing.Usage;
import dev.aicost.sdk.AiCostSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PricingSetupTest {

  @TempDir Path dir;

  private static PricingSetup load(Map<String, String> settings) {
    return PricingSetup.load(AiCostSettings.of(settings));
  }

  @Test
  void noSettingsMeansTheBundledCalculator() {
    PricingSetup s = load(Map.of());
    assertThat(s.calculator()).isSameAs(CostCalculator.bundled());
    assertThat(s.problems()).isEmpty();
    assertThat(s.notes()).isEmpty();
  }

  @Test
  void aBadCatalogIsOneLineWithTheFileAndThePathAndPricingGoesOn() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.json"), """
        {"schema_version": 1, "catalog_version": "x", "models": [
          {"provider": "openai", "id": "gpt-4o", "prices": [
            {"effective_from": "2026-01-01", "source": "s", "input": "-1", "outptu": "2"}]}]}
        """);
    PricingSetup s = load(Map.of(PricingSetup.CATALOG, bad.toString()));
    assertThat(s.calculator()).isSameAs(CostCalculator.bundled());
    assertThat(s.problems()).singleElement().asString()
        .isEqualTo("pricing catalog " + bad + " (aicost.pricing.catalog) rejected: models[0].prices[0].input: must be"
            + " >= 0, was -1 (and 1 more error); calls are priced with the bundled catalog 2026.11.28 (check the file"
            + " with: aicost catalog validate " + bad + ")")
        .doesNotContain("\n");
  }

  @Test
  void everyLayerTogether() throws IOException {
    Path map = Files.writeString(dir.resolve("map.json"), """
        {"acme-tiny": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-06}}
        """);
    Path user = Files.writeString(dir.resolve("acme.yaml"), """
        schema_version: 1
        catalog_version: acme-2
        models: []
        discounts:
          - provider: azure.ai.openai
            percent: "10"
        """);
    PricingSetup s = load(Map.of(
        PricingSetup.IMPORT, "litellm:" + map,
        PricingSetup.CATALOG, user.toString(),
        PricingSetup.AZURE_DEPLOYMENTS, "chat-prod=gpt-4o-2024-11-20@data_zone"));
    assertThat(s.problems()).isEmpty();
    assertThat(s.notes()).hasSize(2);
    CostCalculator c = s.calculator();
    assertThat(c.catalogVersion()).matches("2026\\.11\\.28\\+litellm-[0-9a-f]{8}\\+acme-2");
    assertThat(c.price("openai", "acme-tiny", Usage.of(1_000_000, 0), null).total()).isEqualByComparingTo("1");
    // chat-prod: data zone 2.75 per 1M input, 10% off: 2.475.
    assertThat(c.price("azure.ai.openai", "gpt-4o-2024-11-20", "chat-prod", Usage.of(1_000_000, 0),
        PricingContext.DEFAULT).total()).isEqualByComparingTo("2.475");
  }

  @Test
  void eachBrokenLayerIsReportedAndTheOthersStay() throws IOException {
    Path user = Files.writeString(dir.resolve("ok.json"), """
        {"schema_version": 1, "catalog_version": "ok-1", "models": [],
         "discounts": [{"provider": "openai", "percent": "50"}]}
        """);
    PricingSetup s = load(Map.of(
        PricingSetup.IMPORT, "litellm:" + dir.resolve("missing.json"),
        PricingSetup.CATALOG, user.toString(),
        PricingSetup.AZURE_DEPLOYMENTS, "chat=gpt-4q"));
    assertThat(s.problems()).containsExactly(
        "price import litellm:" + dir.resolve("missing.json") + " (aicost.pricing.import) cannot be read: no such"
            + " file; prices are not imported",
        "invalid setting aicost.pricing.azure.deployments: aicost.pricing.azure.deployments[chat].model: 'gpt-4q' is not a"
            + " model of provider azure.ai.openai in this catalog (closest: gpt-4o, gpt-4.1, gpt-5); Azure deployments"
            + " are priced by the model the response reports, at global-deployment prices");
    assertThat(s.calculator().catalogVersion()).isEqualTo("2026.11.28+ok-1");
    assertThat(s.calculator().price("openai", "gpt-4o", Usage.of(1_000_000, 0), null).total())
        .isEqualByComparingTo("1.25");
  }

  @Test
  void malformedImportSetting() {
    PricingSetup s = load(Map.of(PricingSetup.IMPORT, "portkey:/x.json"));
    assertThat(s.problems()).containsExactly("invalid setting aicost.pricing.import = 'portkey:/x.json': 'portkey:/x.json'"
        + " is not a price import: expected litellm:FILE or litellm:FILE,prefer-import; prices are not imported");
  }
}
