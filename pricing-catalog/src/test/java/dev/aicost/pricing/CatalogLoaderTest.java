package dev.aicost.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogLoaderTest {

  private static List<String> errorsOf(String json) {
    CatalogValidationException e =
        catchThrowableOfType(CatalogValidationException.class, () -> PricingCatalog.parse(json, "bad.json"));
    assertThat(e).as("expected the catalog to be rejected").isNotNull();
    assertThat(e.origin()).isEqualTo("bad.json");
    assertThat(e.getMessage()).startsWith(e.errors().size() + (e.errors().size() == 1 ? " error" : " errors"));
    return e.errors();
  }

  @Test
  void collectsEveryErrorWithItsPath() {
    String json =
        """
        {
          "schema_version": 1,
          "catalog_version": "t",
          "models": [
            {"provider": "openai", "id": "gpt-4o", "prices": [
              {"effective_from": "2024-05-13", "source": "s", "input": "-1", "output": "10"}]},
            {"provider": "openai", "id": "gpt-x", "mode": "chatty", "prices": [
              {"effective_from": "2024/10/02", "source": "s", "inptu": "2.5", "input": "2.5"}]},
            {"provider": "openai", "id": "gpt-4o", "prices": [
              {"effective_from": "2024-05-13", "source": "s", "input": "2.5"}]},
            {"provider": "openai", "id": "gpt-y", "aliases": ["gpt-4o"], "prices": [
              {"effective_from": "2024-05-13", "source": "s", "input": "0.0000025"}]}
          ]
        }
        """;
    assertThat(errorsOf(json))
        .containsExactlyInAnyOrder(
            "models[0].prices[0].input: must be >= 0, was -1",
            "models[1].mode: must be one of chat, responses, completion, embeddings, realtime, audio_transcription,"
                + " audio_speech, image_generation, moderation, rerank, was 'chatty'",
            "models[1].prices[0].effective_from: must be an ISO date (YYYY-MM-DD), was '2024/10/02'",
            "models[1].prices[0].inptu: unknown field (did you mean 'input'?); allowed here: effective_from,"
                + " effective_to, source, verified, note, currency, billed_as_text, input, cache_read, cache_write_5m,"
                + " cache_write_1h, output, reasoning, audio_input, audio_output, image_input, web_search,"
                + " service_tiers, context_tiers, regional, fine_tune",
            "models[3].prices[0].input: at most 6 decimal places allowed, was 0.0000025 (prices are per 1M tokens: a"
                + " per-token price must be multiplied by 1,000,000)",
            "models[2].id: duplicate of models[0] (openai/gpt-4o)",
            "models[3].aliases[0]: 'gpt-4o' is already the id of models[0] (openai/gpt-4o)");
  }

  @Test
  void aliasConflictsAreReportedAgainstTheEntryThatOwnsTheName() {
    String json =
        TestCatalogs.document(
            "["
                + TestCatalogs.model("openai", "gpt-4o", "\"aliases\": [\"gpt-4o-2024-08-06\"]", "\"input\": \"1\"")
                + ","
                + TestCatalogs.model(
                    "openai", "other", "\"aliases\": [\"gpt-4o\", \"gpt-4o-2024-08-06\", \"other\", \"x\", \"x\"]",
                    "\"input\": \"1\"")
                + ","
                // The same names under another provider do not collide.
                + TestCatalogs.model("azure.ai.openai", "gpt-4o", "\"aliases\": [\"gpt-4o-2024-08-06\"]", "\"input\": \"1\"")
                + "]");
    assertThat(errorsOf(json))
        .containsExactly(
            "models[1].aliases[0]: 'gpt-4o' is already the id of models[0] (openai/gpt-4o)",
            "models[1].aliases[1]: 'gpt-4o-2024-08-06' is already an alias of models[0] (openai/gpt-4o)",
            "models[1].aliases[2]: 'other' is the entry's own id",
            "models[1].aliases[4]: duplicate alias 'x'");
  }

  @Test
  void overlappingEffectiveRangesAreRejected() {
    String json =
        TestCatalogs.document(
            """
            [{"provider": "openai", "id": "m", "prices": [
              {"effective_from": "2024-05-13", "source": "s", "input": "5"},
              {"effective_from": "2024-10-02", "source": "s", "input": "2.5"},
              {"effective_from": "2023-01-01", "effective_to": "2023-01-01", "source": "s", "input": "1"}]}]
            """);
    assertThat(errorsOf(json))
        .containsExactly(
            "models[0].prices[2].effective_to: must be after effective_from (2023-01-01), was 2023-01-01",
            "models[0].prices[1]: effective range [2024-10-02, open) overlaps prices[0] [2024-05-13, open); end the"
                + " earlier one with effective_to");
    String overlap =
        TestCatalogs.document(
            """
            [{"provider": "openai", "id": "m", "prices": [
              {"effective_from": "2024-05-13", "effective_to": "2024-10-03", "source": "s", "input": "5"},
              {"effective_from": "2024-10-02", "source": "s", "input": "2.5"}]}]
            """);
    assertThat(errorsOf(overlap))
        .containsExactly(
            "models[0].prices[1]: effective range [2024-10-02, open) overlaps prices[0] [2024-05-13, 2024-10-03); end"
                + " the earlier one with effective_to");
  }

  @Test
  void structuralRulesOfTiersRegionsAndFineTunes() {
    String json =
        TestCatalogs.document(
            """
            [{"provider": "Open AI", "id": "GPT-4o", "patterns": ["("], "prices": [{
              "effective_from": "2025-01-01", "source": "s", "currency": "usd",
              "input": "2", "audio_input": "40", "billed_as_text": ["audio_input", "video"],
              "service_tiers": {"standard": {"input": "1"}, "turbo": {"input": "1"}, "batch": {"output": "1"}},
              "context_tiers": [
                {"name": "> 200k", "operator": "=>", "threshold": 0, "input": "4"},
                {"name": "big", "operator": ">", "threshold": 200000, "input": "4", "context_tiers": []}],
              "regional": [{"regions": ["eu"], "multiplier": "1.1", "input": "3"}, {"regions": ["eu"], "multiplier": "0"}],
              "fine_tune": {"input": "3", "context_tiers": []}
            }]}]
            """);
    assertThat(errorsOf(json))
        .containsExactlyInAnyOrder(
            "models[0].provider: must be a lower-case provider name such as openai, azure.ai.openai, aws.bedrock, was"
                + " 'Open AI'",
            "models[0].id: must be lower case (model names are matched case-insensitively), was 'GPT-4o'",
            "models[0].patterns[0]: invalid regular expression: Unclosed group near index 1",
            "models[0].prices[0].currency: must be an ISO 4217 code such as USD, was 'usd'",
            "models[0].prices[0].billed_as_text[1]: must be one of audio_input, audio_output, image_input, was 'video'",
            "models[0].prices[0].service_tiers.standard: standard rates are the fields of the enclosing object, not a"
                + " service tier",
            "models[0].prices[0].service_tiers.turbo: unknown service tier; allowed: batch, flex, priority",
            "models[0].prices[0].service_tiers.batch.input: required",
            "models[0].prices[0].context_tiers[0].name: must not contain whitespace (it becomes part of the tier"
                + " label), was '> 200k'",
            "models[0].prices[0].context_tiers[0].operator: must be \">\" or \">=\", as the provider words the"
                + " threshold; was '=>'",
            "models[0].prices[0].context_tiers[0].threshold: must be >= 1, was 0",
            "models[0].prices[0].context_tiers[1].context_tiers: unknown field; allowed here: name, operator,"
                + " threshold, input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, audio_input,"
                + " audio_output, image_input, web_search, service_tiers",
            "models[0].prices[0].billed_as_text: audio_input has its own price in this price set; remove it from"
                + " billed_as_text or drop the price",
            "models[0].prices[0].regional[0].input: not allowed together with multiplier: give a multiplier or"
                + " absolute rates",
            "models[0].prices[0].regional[1].regions[0]: 'eu' is already in regional[0]",
            "models[0].prices[0].regional[1].multiplier: must be > 0, was 0",
            "models[0].prices[0].fine_tune.context_tiers: unknown field; allowed here: input, cache_read,"
                + " cache_write_5m, cache_write_1h, output, reasoning, audio_input, audio_output, image_input,"
                + " web_search, service_tiers");
  }

  @Test
  void topLevelRules() {
    assertThat(errorsOf("{\"schema_version\": 2, \"models\": [], \"extra\": 1}"))
        .containsExactlyInAnyOrder(
            "schema_version: unsupported schema_version 2: this version of aicost reads schema_version 1",
            "catalog_version: required",
            "extra: unknown field; allowed here: schema_version, catalog_version, note, models, discounts, deployments");
    assertThat(errorsOf("[]")).containsExactly("must be an object, was an array");
    assertThat(errorsOf(TestCatalogs.document("[{\"provider\": \"x\", \"id\": \"m\", \"prices\": []}]")))
        .containsExactly("models[0].prices: must hold at least one price set");
    assertThat(errorsOf(TestCatalogs.document("[{\"provider\": \"x\", \"id\": \"m\", \"prices\": [{\"input\": 1}]}]")))
        .containsExactly(
            "models[0].prices[0].effective_from: required (an ISO date, YYYY-MM-DD)",
            "models[0].prices[0].source: required");
  }

  @Test
  void syntaxErrorsNameLineAndColumnAndDuplicateKeysAreRejected() {
    assertThat(errorsOf("{\n  \"schema_version\": 1,\n  \"models\": [,]\n}"))
        .singleElement()
        .asString()
        .startsWith("line 3, column 14: not valid: Unexpected character (',' (code 44))");
    assertThat(errorsOf("{\"schema_version\": 1, \"schema_version\": 1}"))
        .singleElement()
        .asString()
        .contains("Duplicate field 'schema_version'");
  }

  @Test
  void pricesAreExactDecimalsWhetherStringsOrNumbers() {
    PricingCatalog c =
        TestCatalogs.catalog(
            "[" + TestCatalogs.model("x", "m", "", "\"input\": 0.075, \"output\": \"0.300\", \"web_search\": \"25\"")
                + "]");
    Rates r = c.model("x", "m").prices().get(0).rates().standard();
    assertThat(r.price(CostComponent.INPUT)).isEqualTo(new BigDecimal("0.075"));
    assertThat(r.price(CostComponent.OUTPUT)).isEqualTo(new BigDecimal("0.3"));
    assertThat(r.has(CostComponent.CACHE_READ)).isFalse();
    // 1,000 calls at 25 per 1K calls = 25.
    assertThat(CostCalculator.of(c).price("x", "m", Usage.builder().webSearchCalls(1_000).build(), null).total())
        .isEqualByComparingTo("25");
  }

  @Test
  void loadsJsonAndYamlFiles(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("prices.json");
    Files.write(
        json,
        TestCatalogs.document("[" + TestCatalogs.model("x", "m", "", "\"input\": \"1\"") + "]")
            .getBytes(StandardCharsets.UTF_8));
    assertThat(PricingCatalog.load(json).model("x", "m")).isNotNull();

    Path yaml = dir.resolve("prices.yaml");
    Files.write(
        yaml,
        """
        schema_version: 1
        catalog_version: acme-3
        models:
          - provider: openai
            id: acme-tuned
            mode: chat
            prices:
              - effective_from: 2026-01-01
                source: contract 2026-001
                input: 2.50
                cache_read: "1.25"
                output: 10.10
        discounts:
          - provider: openai
            percent: 12.5
        """
            .getBytes(StandardCharsets.UTF_8));
    PricingCatalog y = PricingCatalog.load(yaml);
    PriceSet p = y.model("openai", "acme-tuned").prices().get(0);
    assertThat(p.effectiveFrom()).isEqualTo(LocalDate.of(2026, 1, 1));
    assertThat(p.rates().standard().price(CostComponent.OUTPUT)).isEqualTo(new BigDecimal("10.1"));
    assertThat(y.discounts()).singleElement().extracting(Discount::percent).isEqualTo(new BigDecimal("12.5"));

    Path badYaml = dir.resolve("bad.yml");
    Files.write(badYaml, "schema_version: 1\ncatalog_version: x\nmodels:\n  - provider: openai\n    idd: m\n".getBytes(StandardCharsets.UTF_8));
    CatalogValidationException e =
        catchThrowableOfType(CatalogValidationException.class, () -> PricingCatalog.load(badYaml));
    assertThat(e.errors())
        .containsExactly(
            "models[0].id: required",
            "models[0].prices: required (an array)",
            "models[0].idd: unknown field (did you mean 'id'?); allowed here: provider, id, aliases, patterns, mode,"
                + " note, prices");
  }
}
