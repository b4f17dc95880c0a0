package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aicost.testing.MockReply;
import dev.aicost.testing.TokenUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user price catalog, the LiteLLM import and their failure modes in a real agent: a bad file costs one line on
 * standard error and nothing else (the application's results are unchanged and calls are priced with the bundled
 * catalog); a good one changes the ledger's prices.
 */
class PricingCatalogIT extends AgentIntegrationTest {

  // The mock answers "gpt-4o" as gpt-4o-2024-08-06: bundled USD 2.50 input, 10.00 output per 1M tokens.
  // 1,000 input and 100 output tokens: 0.0025 + 0.001 = 0.0035.
  private static final TokenUsage USAGE = TokenUsage.of(1000, 100);

  @TempDir Path dir;

  @Test
  void badCatalogFileIsOneLineAndCallsArePricedWithTheBundledCatalog() {
    Path bad = write("bad-catalog.json", """
        {
          "schema_version": 1,
          "catalog_version": "acme-1",
          "models": [
            {
              "provider": "openai",
              "id": "gpt-4o",
              "prices": [
                {"effective_from": "2026-01-01", "source": "contract 7", "input": "-1", "output": "9"}
              ]
            }
          ]
        }
        """);
    harness.openai().enqueue(MockReply.usage(USAGE));
    AgentRun run = runChat(Map.of("aicost.pricing.catalog", bad.toString()));

    // The application sees exactly what it would without a catalog.
    assertThat(run.results()).containsEntry("prompt_tokens", "1000").containsKey("content");
    // One line, naming the setting's file and the JSON path of the error.
    List<String> agentLines = agentLines(run);
    assertThat(agentLines).as("agent lines on stderr:%n%s", run.stderr()).hasSize(1);
    assertThat(agentLines.get(0))
        .startsWith("[aicost] WARN pricing catalog " + bad)
        .contains("(aicost.pricing.catalog) rejected: models[0].prices[0].input: must be >= 0, was -1")
        .contains("calls are priced with the bundled catalog 2026.11.28")
        .contains("aicost catalog validate " + bad);
    // Priced from the bundled catalog.
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("priced").asBoolean()).isTrue();
    assertThat(line.get("catalog_version").asText()).isEqualTo("2026.11.28");
    assertThat(line.get("pricing_entry").asText()).isEqualTo("openai/gpt-4o-2024-08-06");
    assertThat(line.get("cost").get("amount").asText()).isEqualTo("0.0035");
  }

  @Test
  void missingCatalogFileIsOneLineToo() {
    Path missing = dir.resolve("nowhere.yaml");
    harness.openai().enqueue(MockReply.usage(USAGE));
    AgentRun run = runChat(Map.of("aicost.pricing.catalog", missing.toString()));
    assertThat(run.results()).containsKey("content");
    assertThat(agentLines(run)).singleElement().asString()
        .startsWith("[aicost] WARN pricing catalog " + missing + " (aicost.pricing.catalog) cannot be read: no such file");
    assertThat(run.singleLedgerLine().get("cost").get("amount").asText()).isEqualTo("0.0035");
  }

  @Test
  void yamlCatalogWithADiscountChangesTheLedger() {
    Path good = write("acme.yaml", """
        schema_version: 1
        catalog_version: acme-7
        models: []
        discounts:
          - provider: openai
            model: gpt-4o-2024-08-06
            percent: "12"
            note: enterprise agreement
        """);
    harness.openai().enqueue(MockReply.usage(USAGE));
    AgentRun run = runChat(Map.of("aicost.pricing.catalog", good.toString()));

    assertThat(agentLines(run)).as("stderr:%n%s", run.stderr()).isEmpty();
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("catalog_version").asText()).isEqualTo("2026.11.28+acme-7");
    // 0.0025 x 0.88 = 0.0022 input, 0.001 x 0.88 = 0.00088 output.
    assertThat(line.get("cost").get("amount").asText()).isEqualTo("0.00308");
    assertThat(line.get("cost").get("breakdown").get("input").asText()).isEqualTo("0.0022");
    assertThat(line.get("cost").get("breakdown").get("output").asText()).isEqualTo("0.00088");
  }

  @Test
  void liteLlmImportPricesAModelTheBundledCatalogDoesNotKnow() {
    // The mock echoes unknown model names; this one exists only in the imported map.
    Path map = write("prices.json", """
        {
          "sample_spec": {"input_cost_per_token": 0},
          "gpt-4o-2024-08-06": {"litellm_provider": "openai", "mode": "chat",
                                "input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06},
          "azure/eu/gpt-4o": {"litellm_provider": "azure", "input_cost_per_token": 1e-06}
        }
        """);
    harness.openai().enqueue(MockReply.usage(USAGE));
    AgentRun run = runChat(Map.of("aicost.pricing.import", "litellm:" + map));
    assertThat(agentLines(run)).as("stderr:%n%s", run.stderr()).isEmpty();
    // The bundled price wins for a model the bundled catalog prices.
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("cost").get("amount").asText()).isEqualTo("0.0035");
    assertThat(line.get("catalog_version").asText()).startsWith("2026.11.28+litellm-");

    harness.reset();
    harness.openai().enqueue(MockReply.usage(USAGE));
    AgentRun preferred = runChat(Map.of("aicost.pricing.import", "litellm:" + map + ",prefer-import"));
    // prefer-import: 1,100 tokens at USD 1 per 1M.
    assertThat(preferred.singleLedgerLine().get("cost").get("amount").asText()).isEqualTo("0.0011");
  }

  @Test
  void unreadableImportIsOneLine() {
    Path notJson = write("broken.json", "{ this is not json");
    harness.openai().enqueue(MockReply.usage(USAGE));
    AgentRun run = runChat(Map.of("aicost.pricing.import", "litellm:" + notJson));
    assertThat(run.results()).containsKey("content");
    assertThat(agentLines(run)).singleElement().asString()
        .startsWith("[aicost] WARN price import litellm:" + notJson + " (aicost.pricing.import) rejected: line 1")
        .endsWith("; prices are not imported");
    assertThat(run.singleLedgerLine().get("cost").get("amount").asText()).isEqualTo("0.0035");
  }

  private AgentRun runChat(Map<String, String> properties) {
    return harness.run("dev.aicost.it.app.OpenAiScenarios", properties, "chat-sync", harness.openai().baseUrl())
        .succeeded();
  }

  /** The agent's own lines on standard error. */
  private static List<String> agentLines(AgentRun run) {
    return Arrays.stream(run.stderr().split("\\R"))
        .filter(l -> l.startsWith("[aicost]"))
        .collect(Collectors.toList());
  }

  private Path write(String name, String content) {
    try {
      return Files.writeString(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
