package dev.aicost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the CLI in-process and checks exit codes and output. */
class MainTest {

  /** Exit code, stdout and stderr of one run. */
  record Run(int code, String out, String err) {
    JsonNode json() throws Exception {
      return new ObjectMapper().readTree(out);
    }
  }

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static String ledger() throws URISyntaxException {
    return Paths.get(MainTest.class.getClassLoader().getResource("sample-ledger.jsonl").toURI()).toString();
  }

  // ---------------------------------------------------------------- price

  @Test
  void priceText() {
    Run r = run("price", "--model", "gpt-4o", "--input", "12000", "--cache-read", "1000", "--output", "800",
        "--date", "2026-11-28");
    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .isEqualTo(
            """
            entry     openai/gpt-4o  (gpt-4o: exact id)
            catalog   2026.11.28
            prices    in force 2024-10-02 to now, source https://openai.com/api/pricing/
            tier      standard
            date      2026-11-28

              line        tokens   rate  per         amount  what
              input       11,000   2.50  1M tokens  0.02750  uncached text input
              cache_read   1,000   1.25  1M tokens  0.00125  cache read
              output         800  10.00  1M tokens  0.00800  text output

              total  0.03675 USD
            """);
  }

  @Test
  void priceJson() throws Exception {
    Run r = run("price", "--model", "openai/gpt-4o-2024-08-06", "--input", "12000", "--cache-read", "1000",
        "--output", "800", "--service-tier", "batch", "--date", "2026-11-28", "--json");
    assertThat(r.code()).isZero();
    JsonNode j = r.json();
    // gpt-4o-2024-08-06 batch: 1.25 / 5, cache reads at the batch input rate: 12,000 x 1.25 + 800 x 5.
    assertThat(j.get("total").textValue()).isEqualTo("0.019");
    assertThat(j.get("currency").textValue()).isEqualTo("USD");
    assertThat(j.get("entry").textValue()).isEqualTo("openai/gpt-4o-2024-08-06");
    assertThat(j.get("tier").textValue()).isEqualTo("batch");
    assertThat(j.get("catalog_version").textValue()).isEqualTo("2026.11.28");
    assertThat(j.get("breakdown").toString()).isEqualTo("{\"input\":\"0.015\",\"output\":\"0.004\"}");
    assertThat(j.get("priced").booleanValue()).isTrue();
  }

  @Test
  void priceFineTunedReasoningAndDatedPrices() throws Exception {
    // o3 on 2025-05-01 (launch price 10/40): 2,000 x 10 + (1,000 incl. 800 reasoning) x 40 = 0.02 + 0.04.
    Run r = run("price", "--model", "o3", "--input", "2000", "--output", "1000", "--reasoning", "800",
        "--date", "2025-05-01", "--json");
    assertThat(r.json().get("total").textValue()).isEqualTo("0.06");
    Run ft = run("price", "--model", "ft:gpt-4o-mini-2024-07-18:acme::x1", "--input", "1000000", "--date",
        "2026-11-28", "--json");
    assertThat(ft.json().get("total").textValue()).isEqualTo("0.3");
    assertThat(ft.json().get("tier").textValue()).isEqualTo("ft:standard");
  }

  @Test
  void unknownModelExits3WithTheClosestIds() throws Exception {
    Run r = run("price", "--model", "gpt-4q", "--input", "10");
    assertThat(r.code()).isEqualTo(Main.UNKNOWN_MODEL);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo("aicost: unknown model 'gpt-4q' for provider 'openai'; closest known: gpt-4, gpt-4o, gpt-4.1\n");
    Run json = run("price", "--model", "gpt-4q", "--input", "10", "--json");
    assertThat(json.code()).isEqualTo(Main.UNKNOWN_MODEL);
    assertThat(json.json().get("unpriced_reason").textValue()).isEqualTo("unknown_model");
    assertThat(json.json().get("suggestions").toString()).isEqualTo("[\"gpt-4\",\"gpt-4o\",\"gpt-4.1\"]");
    Run provider = run("price", "--provider", "acme", "--model", "gpt-4o", "--input", "10");
    assertThat(provider.code()).isEqualTo(Main.UNKNOWN_MODEL);
    assertThat(provider.err()).contains("providers: openai");
  }

  @Test
  void knownModelThatCannotBePricedExits4() {
    Run r = run("price", "--model", "gpt-4o", "--input", "10", "--service-tier", "flex", "--date", "2026-11-28");
    assertThat(r.code()).isEqualTo(Main.NOT_PRICED);
    assertThat(r.out())
        .endsWith("not priced: no_price_for_tier - openai/gpt-4o has no flex rates (offered: standard, batch,"
            + " priority)\n");
    Run date = run("price", "--model", "gpt-4o", "--input", "10", "--date", "2024-01-01");
    assertThat(date.code()).isEqualTo(Main.NOT_PRICED);
    assertThat(date.out())
        .contains("not priced: no_price_for_date - openai/gpt-4o has no price in force on 2024-01-01; priced periods:"
            + " 2024-05-13 to 2024-10-02, 2024-10-02 to now");
  }

  @Test
  void badArgumentsExit2WithUsage() {
    assertUsage(run("price", "--input", "10"), "aicost: --model is required");
    assertUsage(run("price", "--model", "gpt-4o"), "aicost: give the token counts: at least --input or --output");
    assertUsage(run("price", "--model", "gpt-4o", "--inptu", "10"), "aicost: unknown option --inptu (did you mean --input?)");
    assertUsage(run("price", "--model", "gpt-4o", "--input", "ten"), "aicost: --input must be a whole number >= 0, was 'ten'");
    assertUsage(run("price", "--model", "gpt-4o", "--input", "-5"), "aicost: --input must be a whole number >= 0, was '-5'");
    assertUsage(run("price", "--model", "gpt-4o", "--input", "10", "--date", "28/11/2026"),
        "aicost: --date must be an ISO date YYYY-MM-DD, was '28/11/2026'");
    assertUsage(run("price", "--model", "gpt-4o", "--input", "10", "--service-tier", "turbo"),
        "aicost: --service-tier: unknown service tier 'turbo': expected one of standard, batch, flex, priority");
    assertUsage(run("price", "--model", "gpt-4o", "--input", "1000", "--cache-read", "800", "--image-input", "300"),
        "aicost: --cache-read, --cache-write-5m, --cache-write-1h, --audio-input and --image-input are parts of"
            + " --input: together 1100 exceed --input 1000");
    assertUsage(run("price", "--model", "o3", "--input", "1", "--output", "10", "--reasoning", "11"),
        "aicost: --reasoning and --audio-output are parts of --output: together 11 exceed --output 10");
    assertUsage(run("price", "--model", "gpt-4o", "--input", "1", "--input", "2"), "aicost: option --input given twice");
    assertUsage(run("price", "--model"), "aicost: option --model needs a value");
    assertUsage(run("prise"), "aicost: unknown command 'prise'");
    Run r = run("price", "--model", "gpt-4o", "--inptu", "10");
    assertThat(r.err()).contains("usage: aicost price --model MODEL --input N");
  }

  private static void assertUsage(Run r, String firstLine) {
    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).startsWith(firstLine);
    assertThat(r.err()).contains("usage: aicost");
  }

  @Test
  void userCatalogDiscountAppliesToPrice(@TempDir Path dir) throws Exception {
    Path user = dir.resolve("acme.yaml");
    Files.writeString(
        user,
        """
        schema_version: 1
        catalog_version: acme-1
        models: []
        discounts:
          - provider: openai
            model: gpt-4o
            percent: "20"
        """);
    // (12,000 x 2.5 + 800 x 10) x 0.8 = 0.0304.
    Run r = run("price", "--model", "gpt-4o", "--input", "12000", "--output", "800", "--catalog", user.toString(),
        "--date", "2026-11-28", "--json");
    assertThat(r.code()).isZero();
    assertThat(r.json().get("total").textValue()).isEqualTo("0.0304");
    assertThat(r.json().get("catalog_version").textValue()).isEqualTo("2026.11.28+acme-1");
    assertThat(r.json().get("discount_percent").textValue()).isEqualTo("20");
  }

  // ---------------------------------------------------------------- report

  @Test
  void reportByTeamWithExactTotals() throws Exception {
    Run r = run("report", ledger());
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "spend by team from " + ledger() + ": 9 calls, 7 priced; catalog 2026.11.28\n"
                + """

                team            calls  priced  input tokens  output tokens  cost (USD)
                ml                  2       2       120,000              0         0.3
                checkout            3       2     1,020,500          3,050       0.084
                (unattributed)      1       1         1,000            100      0.0035
                search              3       2        11,200            580     0.00304
                total               9       7     1,152,700          3,730     0.39054

                2 unpriced calls, not included in cost:
                  calls  provider  model   reason
                      1  openai    gpt-4o  usage_unavailable
                      1  openai    gpt-9   unknown_model

                1 line(s) of other types skipped
                2 malformed line(s) skipped (see stderr)
                """);
  }

  @Test
  void malformedLinesAreReportedWithTheirNumbersAndSkipped() throws Exception {
    Run r = run("report", ledger());
    assertThat(r.err().lines())
        .containsExactly(
            "aicost: " + ledger() + " line 7: not JSON (Unexpected end-of-input within/between Object entries),"
                + " skipped",
            "aicost: " + ledger() + " line 10: \"cost.amount\" is not a decimal number: \"abc\", skipped");
  }

  @Test
  void reportByModelAndJson() throws Exception {
    Run r = run("report", ledger(), "--by", "model", "--json");
    assertThat(r.code()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("total").get("cost").get("USD").textValue()).isEqualTo("0.39054");
    assertThat(j.get("total").get("calls").longValue()).isEqualTo(9);
    assertThat(j.get("total").get("priced_calls").longValue()).isEqualTo(7);
    JsonNode first = j.get("groups").get(0);
    // gpt-4o: response_model of 4 calls (3 priced): 0.0035 + 0.1 + 0.2.
    assertThat(first.get("group").textValue()).isEqualTo("gpt-4o");
    assertThat(first.get("cost").get("USD").textValue()).isEqualTo("0.3035");
    // A group whose calls are all unpriced has no cost at all, not a zero.
    JsonNode last = j.get("groups").get(j.get("groups").size() - 1);
    assertThat(last.get("group").textValue()).isEqualTo("gpt-9");
    assertThat(last.get("cost").size()).isZero();
    assertThat(j.get("unpriced").toString())
        .isEqualTo("[{\"provider\":\"openai\",\"model\":\"gpt-4o\",\"reason\":\"usage_unavailable\",\"calls\":1},"
            + "{\"provider\":\"openai\",\"model\":\"gpt-9\",\"reason\":\"unknown_model\",\"calls\":1}]");
    assertThat(j.get("malformed_lines").longValue()).isEqualTo(2);

    Run text = run("report", ledger(), "--by", "model");
    assertThat(text.out()).contains("gpt-9                       1       0           500             50           -\n");
    Run experiment = run("report", ledger(), "--by", "experiment", "--json");
    assertThat(experiment.json().get("groups").get(0).get("group").textValue()).isEqualTo("prompt-v2");
    assertThat(experiment.json().get("groups").get(0).get("cost").get("USD").textValue()).isEqualTo("0.3035");
  }

  @Test
  void reportErrors(@TempDir Path dir) throws Exception {
    Run missing = run("report", dir.resolve("nope.jsonl").toString());
    assertThat(missing.code()).isEqualTo(Main.ERROR);
    assertThat(missing.err()).startsWith("aicost: no such file: ");
    assertUsage(run("report"), "aicost: give the ledger file (or - for stdin)");
    assertUsage(run("report", ledger(), "--by", "colour"),
        "aicost: --by must be one of team, feature, customer, agent, experiment, task, model, provider; was 'colour'");
    Path empty = dir.resolve("empty.jsonl");
    Files.writeString(empty, "");
    Run r = run("report", empty.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).endsWith("total      0       0             0              0           -\n");
  }

  @Test
  void severalCurrenciesAreSummedApartAndGroupedByProvider(@TempDir Path dir) throws Exception {
    Path ledger = dir.resolve("mixed.jsonl");
    Files.writeString(
        ledger,
        """
        {"type":"call","provider":"openai","response_model":"gpt-4o","usage":{"input_tokens":10,"output_tokens":1},"priced":true,"cost":{"amount":"1.5","currency":"USD"},"attribution":{"team":"a"}}
        {"type":"call","provider":"mistral","response_model":"mistral-large","usage":{"input_tokens":20,"output_tokens":2},"priced":true,"cost":{"amount":2,"currency":"EUR"},"attribution":{"team":"a"}}
        {"type":"call","provider":"openai","response_model":"gpt-4o","usage":{"input_tokens":30,"output_tokens":3},"priced":true,"cost":{"amount":"0.25","currency":"USD"},"attribution":{"team":"b"}}
        """);
    Run r = run("report", ledger.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .endsWith(
            """

            team   calls  priced  input tokens  output tokens              cost
            a          2       2            30              3   2 EUR + 1.5 USD
            b          1       1            30              3          0.25 USD
            total      3       3            60              6  2 EUR + 1.75 USD
            """);
    Run byProvider = run("report", ledger.toString(), "--by", "provider", "--json");
    assertThat(byProvider.json().get("groups").toString())
        .isEqualTo("[{\"group\":\"mistral\",\"calls\":1,\"priced_calls\":1,\"input_tokens\":20,\"output_tokens\":2,"
            + "\"cost\":{\"EUR\":\"2\"}},{\"group\":\"openai\",\"calls\":2,\"priced_calls\":2,\"input_tokens\":40,"
            + "\"output_tokens\":4,\"cost\":{\"USD\":\"1.75\"}}]");
  }

  // ---------------------------------------------------------------- catalog

  @Test
  void catalogValidate(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("good.json");
    Files.writeString(
        good,
        """
        {"schema_version": 1, "catalog_version": "acme-1", "models": [
          {"provider": "openai", "id": "acme-model", "prices": [
            {"effective_from": "2026-01-01", "source": "contract", "input": "1", "output": "2"}]}],
         "discounts": [{"provider": "openai", "percent": "5"}]}
        """);
    Run ok = run("catalog", "validate", good.toString());
    assertThat(ok.code()).isZero();
    assertThat(ok.out())
        .isEqualTo(good + ": valid, catalog_version acme-1, 1 model, 1 price set, 1 discount; layers cleanly over the"
            + " bundled catalog 2026.11.28\n");

    Path bad = dir.resolve("bad.json");
    Files.writeString(
        bad,
        """
        {"schema_version": 1, "catalog_version": "acme-1", "models": [
          {"provider": "openai", "id": "acme-model", "aliases": ["gpt-4o"], "prices": [
            {"effective_from": "2026-01-01", "source": "contract", "input": "-1", "ouput": "2"}]}]}
        """);
    Run invalid = run("catalog", "validate", bad.toString());
    assertThat(invalid.code()).isEqualTo(Main.ERROR);
    assertThat(invalid.out())
        .startsWith(bad + ": invalid, 2 errors\n  models[0].prices[0].input: must be >= 0, was -1\n"
            + "  models[0].prices[0].ouput: unknown field (did you mean 'output'?)");

    Path clash = dir.resolve("clash.json");
    Files.writeString(clash, Files.readString(bad).replace("\"-1\"", "\"1\"").replace("ouput", "output"));
    assertThat(run("catalog", "validate", clash.toString(), "--standalone").code()).isZero();
    Run layered = run("catalog", "validate", clash.toString());
    assertThat(layered.code()).isEqualTo(Main.ERROR);
    assertThat(layered.out()).contains("models[0].aliases[0]: 'gpt-4o' is already the id of");
  }

  @Test
  void catalogListAndShow() {
    Run list = run("catalog", "list", "--date", "2026-11-28");
    assertThat(list.code()).isZero();
    assertThat(list.out()).containsPattern("^catalog 2026\\.11\\.28: \\d{3} models; standard prices in force 2026-11-28,"
        + " USD per 1M tokens");
    assertThat(list.out()).containsPattern("\nopenai/gpt-4o +chat +2\\.5 +1\\.25 +10 +batch priority +2024-10-02 +0\n");
    assertThat(list.out()).contains("anthropic/claude-sonnet-4-5 ", "aws.bedrock/amazon.nova-pro-v1:0 ",
        "gcp.gemini/gemini-2.5-pro ", "fireworks_ai/gpt-oss-120b ");
    Run openai = run("catalog", "list", "--provider", "openai", "--date", "2026-11-28");
    assertThat(openai.out()).startsWith("catalog 2026.11.28: 65 models of openai; standard prices in force 2026-11-28");
    Run mistral = run("catalog", "list", "--provider", "mistral");
    assertThat(mistral.code()).isEqualTo(Main.ERROR);
    assertThat(mistral.err()).contains("no model of provider 'mistral' in the catalog; providers: openai,")
        .contains("mistral_ai");

    Run show = run("catalog", "show", "gpt-4o-mini-2024-07-18", "--date", "2026-11-28");
    assertThat(show.code()).isZero();
    assertThat(show.out()).startsWith("openai/gpt-4o-mini  (gpt-4o-mini-2024-07-18: alias of openai/gpt-4o-mini)\n");
    assertThat(show.out()).contains("price set 1 of 1: 2024-07-18 to now   <- in force 2026-11-28");
    assertThat(show.out()).containsPattern("\n +ft:batch +0\\.15 +- +0\\.6\n");
    Run history = run("catalog", "show", "gpt-4o", "--date", "2024-06-01");
    assertThat(history.out()).contains("price set 1 of 2: 2024-05-13 to 2024-10-02 (exclusive)   <- in force 2024-06-01");
    Run context = run("catalog", "show", "gpt-5.4");
    assertThat(context.out()).containsPattern("\n +flex>272k \\(input > 272,000\\) +2\\.5 +0\\.25 +11\\.25 +10\n");
    Run unknown = run("catalog", "show", "gpt-4q");
    assertThat(unknown.code()).isEqualTo(Main.UNKNOWN_MODEL);
    assertThat(unknown.err()).contains("closest known: gpt-4, gpt-4o, gpt-4.1");
    assertUsage(run("catalog"), "aicost: give a subcommand: validate, list or show");
    assertUsage(run("catalog", "frobnicate"), "aicost: unknown catalog subcommand 'frobnicate'");
  }

  @Test
  void catalogImportAndDeployments(@TempDir Path dir) throws Exception {
    Path map = Files.writeString(dir.resolve("map.json"), """
        {"acme-tiny": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-06,
                       "output_cost_per_token": 2e-06},
         "gpt-4o": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 9e-06}}
        """);
    Run price = run("price", "--model", "acme-tiny", "--input", "1000", "--output", "100", "--import",
        "litellm:" + map, "--date", "2026-11-28", "--json");
    assertThat(price.code()).isZero();
    assertThat(price.err()).isEqualTo("aicost: imported 2 models from " + map + "\n");
    assertThat(price.json().get("total").textValue()).isEqualTo("0.0012");
    // The bundled price wins for gpt-4o unless the import is preferred.
    assertThat(run("price", "--model", "gpt-4o", "--input", "1000000", "--import", "litellm:" + map, "--json")
        .json().get("total").textValue()).isEqualTo("2.5");
    assertThat(run("price", "--model", "gpt-4o", "--input", "1000000", "--import", "litellm:" + map
        + ",prefer-import", "--json").json().get("total").textValue()).isEqualTo("9");
    assertUsage(run("catalog", "list", "--import", "portkey:" + map), "aicost: --import 'portkey:");

    Path deployments = Files.writeString(dir.resolve("deployments.yaml"), """
        schema_version: 1
        catalog_version: acme-dep
        models: []
        deployments:
          - provider: azure.ai.openai
            name: chat-prod
            model: gpt-4o-2024-11-20
            region: data_zone
        """);
    Run valid = run("catalog", "validate", deployments.toString());
    assertThat(valid.out()).isEqualTo(deployments + ": valid, catalog_version acme-dep, 0 models, 0 price sets,"
        + " 0 discounts, 1 deployment; layers cleanly over the bundled catalog 2026.11.28\n");
    Run show = run("catalog", "show", "chat-prod", "--provider", "azure.ai.openai", "--catalog", deployments.toString());
    assertThat(show.out()).startsWith("azure.ai.openai/gpt-4o  (chat-prod: deployment 'chat-prod' serves"
        + " 'gpt-4o-2024-11-20' in region 'data_zone': alias of azure.ai.openai/gpt-4o)\n");
    assertThat(show.out()).contains("  deployed  'chat-prod' serves gpt-4o-2024-11-20, priced in region 'data_zone'\n");
    // data zone 1.1 x 2.50 = 2.75 per 1M input tokens
    Run dz = run("price", "--provider", "azure.ai.openai", "--model", "chat-prod", "--input", "1000000", "--catalog",
        deployments.toString(), "--json");
    assertThat(dz.json().get("total").textValue()).isEqualTo("2.75");
    assertThat(dz.json().get("tier").textValue()).isEqualTo("standard@data_zone");
  }

  // ---------------------------------------------------------------- help

  @Test
  void helpAndNoArguments() {
    Run none = run();
    assertThat(none.code()).isZero();
    assertThat(none.out()).startsWith("usage: aicost <command> [options]");
    assertThat(run("help").out()).isEqualTo(none.out());
    assertThat(run("help", "price").out()).startsWith("usage: aicost price --model MODEL");
    assertThat(run("price", "--help").out()).startsWith("usage: aicost price --model MODEL");
    assertThat(run("help", "nope").code()).isEqualTo(Main.USAGE);
    Run demo = run("demo");
    assertThat(demo.code()).isEqualTo(Main.USAGE);
    assertThat(demo.err()).contains("bin/aicost-demo");
  }
}
