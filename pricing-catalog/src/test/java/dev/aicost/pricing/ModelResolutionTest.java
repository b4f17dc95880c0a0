package dev.aicost.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Every model name form the instrumented SDKs report resolves to the right bundled entry, by the documented steps;
 * deployments map names to models with their region and billing.
 */
class ModelResolutionTest {

  private static final CostCalculator CALC = CostCalculator.bundled();

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      anthropic       | claude-sonnet-4-5-20250929                   | anthropic/claude-sonnet-4-5                                  | ALIAS
      anthropic       | claude-sonnet-4-5                            | anthropic/claude-sonnet-4-5                                  | EXACT_ID
      anthropic       | claude-opus-4-0                              | anthropic/claude-opus-4                                      | ALIAS
      anthropic       | claude-haiku-4-5-20260101                    | anthropic/claude-haiku-4-5                                   | DATED_SNAPSHOT EXACT_ID
      anthropic       | Claude-Sonnet-4-5                            | anthropic/claude-sonnet-4-5                                  | EXACT_ID
      aws.bedrock     | anthropic.claude-sonnet-4-5-20250929-v1:0    | aws.bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0        | EXACT_ID
      aws.bedrock     | us.anthropic.claude-sonnet-4-5-20250929-v1:0 | aws.bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0        | INFERENCE_PROFILE EXACT_ID
      aws.bedrock     | eu.anthropic.claude-haiku-4-5-20251001-v1:0  | aws.bedrock/anthropic.claude-haiku-4-5-20251001-v1:0         | INFERENCE_PROFILE EXACT_ID
      aws.bedrock     | apac.amazon.nova-pro-v1:0                    | aws.bedrock/amazon.nova-pro-v1:0                             | INFERENCE_PROFILE EXACT_ID
      aws.bedrock     | jp.anthropic.claude-opus-4-7                 | aws.bedrock/anthropic.claude-opus-4-7                        | INFERENCE_PROFILE EXACT_ID
      aws.bedrock     | us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0 | aws.bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0    | INFERENCE_PROFILE EXACT_ID
      aws.bedrock     | global.anthropic.claude-opus-4-6-v1          | aws.bedrock/anthropic.claude-opus-4-6-v1                     | INFERENCE_PROFILE EXACT_ID
      aws.bedrock     | us.anthropic.claude-opus-4-6-v1:0            | aws.bedrock/anthropic.claude-opus-4-6-v1                     | INFERENCE_PROFILE ALIAS
      aws.bedrock     | arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0 | aws.bedrock/amazon.nova-pro-v1:0     | RESOURCE_PATH EXACT_ID
      aws.bedrock     | arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.amazon.nova-lite-v1:0 | aws.bedrock/amazon.nova-lite-v1:0 | RESOURCE_PATH INFERENCE_PROFILE EXACT_ID
      aws.bedrock     | meta.llama3-3-70b-instruct-v1:0              | aws.bedrock/meta.llama3-3-70b-instruct-v1:0                  | EXACT_ID
      aws.bedrock     | us.meta.llama3-3-70b-instruct-v1:0           | aws.bedrock/meta.llama3-3-70b-instruct-v1:0                  | INFERENCE_PROFILE EXACT_ID
      aws.bedrock     | amazon.titan-embed-text-v2:0                 | aws.bedrock/amazon.titan-embed-text-v2:0                     | EXACT_ID
      gcp.vertex_ai   | claude-sonnet-4-5@20250929                   | gcp.vertex_ai/claude-sonnet-4-5                              | ALIAS
      gcp.vertex_ai   | claude-opus-4-6@default                      | gcp.vertex_ai/claude-opus-4-6                                | VERSION_SUFFIX EXACT_ID
      gcp.vertex_ai   | claude-3-5-sonnet-v2@20241022                | gcp.vertex_ai/claude-3-5-sonnet-v2                           | ALIAS
      gcp.vertex_ai   | gemini-2.0-flash-001                         | gcp.vertex_ai/gemini-2.0-flash                               | ALIAS
      gcp.vertex_ai   | projects/acme/locations/us-central1/publishers/google/models/gemini-2.5-flash | gcp.vertex_ai/gemini-2.5-flash | RESOURCE_PATH EXACT_ID
      gcp.gemini      | gemini-2.5-flash                             | gcp.gemini/gemini-2.5-flash                                  | EXACT_ID
      gcp.gemini      | models/gemini-2.5-flash                      | gcp.gemini/gemini-2.5-flash                                  | RESOURCE_PATH EXACT_ID
      gcp.gemini      | models/gemini-2.5-pro                        | gcp.gemini/gemini-2.5-pro                                    | RESOURCE_PATH EXACT_ID
      azure.ai.openai | gpt-4o-2024-11-20                            | azure.ai.openai/gpt-4o                                       | ALIAS
      azure.ai.openai | gpt-4o-2024-05-13                            | azure.ai.openai/gpt-4o-2024-05-13                            | EXACT_ID
      azure.ai.openai | gpt-5-mini-2025-08-07                        | azure.ai.openai/gpt-5-mini                                   | ALIAS
      azure.ai.openai | o3-mini-2025-01-31                           | azure.ai.openai/o3-mini                                      | ALIAS
      openai          | gpt-4o-2024-08-06                            | openai/gpt-4o-2024-08-06                                     | EXACT_ID
      openai          | openai/gpt-4o                                | openai/gpt-4o                                                | PROVIDER_PREFIX EXACT_ID
      openai          | ft:gpt-4o-mini-2024-07-18:acme:tuned:abc123  | openai/gpt-4o-mini                                           | FINE_TUNE ALIAS
      fireworks_ai    | accounts/fireworks/models/gpt-oss-120b       | fireworks_ai/gpt-oss-120b                                    | RESOURCE_PATH EXACT_ID
      together_ai     | meta-llama/Llama-3.3-70B-Instruct-Turbo      | together_ai/meta-llama/llama-3.3-70b-instruct-turbo          | EXACT_ID
      groq            | openai/gpt-oss-120b                          | groq/openai/gpt-oss-120b                                     | EXACT_ID
      x_ai            | grok-4-0709                                  | x_ai/grok-4                                                  | ALIAS
      mistral_ai      | mistral-large-2512                           | mistral_ai/mistral-large-2512                                | EXACT_ID
      deepseek        | deepseek-v4-flash                            | deepseek/deepseek-v4-flash                                   | EXACT_ID
      """)
  void resolves(String provider, String model, String entry, String steps) {
    ModelResolution r = CALC.resolve(provider, model);
    assertThat(r.isResolved()).as(r.describe()).isTrue();
    assertThat(r.entry().entryId()).isEqualTo(entry);
    assertThat(r.steps()).extracting(Enum::name).containsExactly(steps.split(" "));
    assertThat(r.describe()).isNotBlank();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      aws.bedrock | anthropic.claude-sonnet-9-v1:0
      aws.bedrock | xx.anthropic.claude-sonnet-4-5-20250929-v1:0
      aws.bedrock | arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123
      openai      | ft:gpt-9:acme::x
      anthropic   | gpt-4o
      gcp.gemini  | models/
      """)
  void unknownNamesAreUnresolvedNeverGuessed(String provider, String model) {
    ModelResolution r = CALC.resolve(provider, model);
    assertThat(r.isResolved()).as(r.describe()).isFalse();
    assertThat(CALC.price(provider, model, Usage.of(1, 1), null).unpricedReason()).isEqualTo("unknown_model");
  }

  @Test
  void aGlobalProfileIsPricedInRegionGlobalWhateverTheCallingRegion() {
    ModelResolution global = CALC.resolve("aws.bedrock", "global.anthropic.claude-haiku-4-5-20251001-v1:0");
    assertThat(global.impliedRegion()).isEqualTo("global");
    assertThat(CALC.resolve("aws.bedrock", "us.anthropic.claude-haiku-4-5-20251001-v1:0").impliedRegion()).isNull();
    PricingContext euWest = PricingContext.of(ServiceTier.STANDARD, "eu-west-1", LocalDate.of(2026, 11, 28));
    // Haiku 4.5: global 1/5; in-region and geographic 1.10/5.50.
    assertThat(CALC.price("aws.bedrock", "global.anthropic.claude-haiku-4-5-20251001-v1:0", Usage.of(1_000_000, 0),
        euWest).total()).isEqualByComparingTo("1");
    assertThat(CALC.price("aws.bedrock", "eu.anthropic.claude-haiku-4-5-20251001-v1:0", Usage.of(1_000_000, 0),
        euWest).total()).isEqualByComparingTo("1.1");
  }

  @Test
  void resolutionsAreCachedAndRepeatCallsReuseThem() {
    CostCalculator calc = CostCalculator.of(PricingCatalog.bundled());
    ModelResolution a = calc.resolve("aws.bedrock", "us.amazon.nova-pro-v1:0");
    assertThat(calc.resolve("aws.bedrock", "us.amazon.nova-pro-v1:0")).isSameAs(a);
    assertThat(calc.cachedResolutions()).isEqualTo(1);
  }

  // -------------------------------------------------------------------------------------------- deployments

  private static final String DEPLOYMENTS = """
      {"schema_version": 1, "catalog_version": "dep-1", "models": [],
       "deployments": [
         {"provider": "azure.ai.openai", "name": "Chat-Prod", "model": "gpt-4o-2024-11-20", "region": "data_zone"},
         {"provider": "azure.ai.openai", "name": "chat-ptu", "model": "gpt-4.1", "billing": "provisioned"},
         {"provider": "azure.ai.openai", "name": "*", "region": "regional"},
         {"provider": "aws.bedrock",
          "name": "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123",
          "model": "us.anthropic.claude-sonnet-4-5-20250929-v1:0"}
       ]}
      """;

  private static CostCalculator withDeployments() {
    return CostCalculator.of(PricingCatalog.bundled().layer(PricingCatalog.parse(DEPLOYMENTS, "deployments.json")));
  }

  @Test
  void deploymentNamesResolveToTheirModelWithTheirRegion() {
    CostCalculator calc = withDeployments();
    ModelResolution r = calc.resolve("azure.ai.openai", "chat-prod");
    assertThat(r.steps()).containsExactly(ResolutionMethod.DEPLOYMENT, ResolutionMethod.ALIAS);
    assertThat(r.entry().entryId()).isEqualTo("azure.ai.openai/gpt-4o");
    assertThat(r.impliedRegion()).isEqualTo("data_zone");
    assertThat(r.deployment().name()).isEqualTo("chat-prod");
    assertThat(r.describe()).contains("deployment 'chat-prod' serves 'gpt-4o-2024-11-20' in region 'data_zone'");

    ModelResolution profile = calc.resolve("aws.bedrock",
        "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123");
    assertThat(profile.entry().entryId()).isEqualTo("aws.bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0");
    assertThat(profile.steps()).containsExactly(
        ResolutionMethod.DEPLOYMENT, ResolutionMethod.INFERENCE_PROFILE, ResolutionMethod.EXACT_ID);
  }

  @Test
  void theDefaultDeploymentSetsTheRegionOfUnlistedNames() {
    CostCalculator calc = withDeployments();
    ModelResolution r = calc.resolve("azure.ai.openai", "gpt-4.1-mini-2025-04-14");
    assertThat(r.impliedRegion()).isEqualTo("regional");
    assertThat(r.deployment().isDefault()).isTrue();
    // gpt-4.1-mini regional: 1.1 x 0.40 = 0.44 per 1M input tokens.
    assertThat(calc.price("azure.ai.openai", "gpt-4.1-mini-2025-04-14", Usage.of(1_000_000, 0), null).total())
        .isEqualByComparingTo("0.44");
    // A named deployment's region wins over the default.
    assertThat(calc.price("azure.ai.openai", "gpt-4o-2024-11-20", "chat-prod", Usage.of(1_000_000, 0), null).tier())
        .isEqualTo("standard@data_zone");
  }

  @Test
  void provisionedDeploymentsAreUnpricedEvenWhenTheResponseNamesTheModel() {
    CostCalculator calc = withDeployments();
    assertThat(calc.price("azure.ai.openai", "gpt-4.1-2025-04-14", "chat-ptu", Usage.of(10, 10), null)
        .unpricedReason()).isEqualTo(UnpricedReason.PROVISIONED_THROUGHPUT);
    assertThat(calc.price("azure.ai.openai", "chat-ptu", Usage.of(10, 10), null).unpricedReason())
        .isEqualTo(UnpricedReason.PROVISIONED_THROUGHPUT);
  }

  @Test
  void responseModelWinsAndTheRequestModelIsTheFallback() {
    CostCalculator calc = CostCalculator.bundled();
    Usage u = Usage.of(1_000_000, 0);
    // The response names an unknown snapshot: the request model prices the call.
    assertThat(calc.price("openai", "gpt-4o-2099-01-01-preview", "gpt-4o-mini", u, null).entryId())
        .isEqualTo("openai/gpt-4o-mini");
    // Both known: the response wins.
    assertThat(calc.price("openai", "gpt-4o-2024-05-13", "gpt-4o", u, null).entryId())
        .isEqualTo("openai/gpt-4o-2024-05-13");
    assertThat(calc.price("openai", null, null, u, null).unpricedReason()).isEqualTo("unknown_model");
  }

  @Test
  void deploymentsAreValidatedWithTheirPath() {
    String bad = """
        {"schema_version": 1, "catalog_version": "x", "models": [],
         "deployments": [
           {"provider": "azure.ai.openai", "name": "a", "model": "gpt-4q"},
           {"provider": "azure.ai.openai", "name": "b"},
           {"provider": "azure.ai.openai", "name": "*", "model": "gpt-4o"},
           {"provider": "azure.ai.openai", "name": "c", "model": "gpt-4o", "billing": "hourly"},
           {"provider": "azure.ai.openai", "name": "A", "model": "gpt-4o"}
         ]}
        """;
    assertThatThrownBy(() -> PricingCatalog.parse(bad, "bad.json"))
        .isInstanceOf(CatalogValidationException.class)
        .satisfies(e -> assertThat(((CatalogValidationException) e).errors()).containsExactly(
            "deployments[1].model: required: the model this deployment serves (e.g. gpt-4o-2024-11-20)",
            "deployments[2].model: the default deployment '*' has no model: it sets region and billing only",
            "deployments[2].region: the default deployment '*' must set a region or billing: provisioned",
            "deployments[3].billing: must be per_token or provisioned, was 'hourly'",
            "deployments[4].name: duplicate of deployments[0] (azure.ai.openai/a)"));
    PricingCatalog unknownModel = PricingCatalog.parse("""
        {"schema_version": 1, "catalog_version": "x", "models": [],
         "deployments": [{"provider": "azure.ai.openai", "name": "a", "model": "gpt-4q"}]}
        """, "unknown.json");
    assertThatThrownBy(() -> PricingCatalog.bundled().layer(unknownModel))
        .isInstanceOf(CatalogValidationException.class)
        .hasMessageContaining("unknown.json deployments[0].model: 'gpt-4q' is not a model of provider azure.ai.openai"
            + " in this catalog (closest: gpt-4o, gpt-4.1, gpt-5)");
  }

  @Test
  void azureDeploymentSettingSyntax() {
    List<Deployment> d = Deployment.parseAzure(
        "chat-prod=gpt-4o-2024-11-20@data_zone, embed=text-embedding-3-small ,ptu=gpt-4o@provisioned,*=@regional",
        "aicost.pricing.azure.deployments");
    assertThat(d).extracting(Deployment::toString).containsExactly(
        "Deployment{azure.ai.openai/chat-prod -> gpt-4o-2024-11-20 @data_zone}",
        "Deployment{azure.ai.openai/embed -> text-embedding-3-small}",
        "Deployment{azure.ai.openai/ptu -> gpt-4o, provisioned}",
        "Deployment{azure.ai.openai/* @regional}");
    assertThatThrownBy(() -> Deployment.parseAzure("chat-prod", "s"))
        .hasMessage("s: 'chat-prod' is not NAME=MODEL[@TYPE] (e.g. chat-prod=gpt-4o-2024-11-20@data_zone)");
    assertThatThrownBy(() -> Deployment.parseAzure("a=gpt-4o@zone", "s"))
        .hasMessage("s: deployment type 'zone' in 'a=gpt-4o@zone' must be global, data_zone, regional or provisioned");
    assertThatThrownBy(() -> Deployment.parseAzure("a=gpt-4o,A=gpt-4.1", "s"))
        .hasMessage("s: deployment 'A' is listed twice");
    assertThatThrownBy(() -> PricingCatalog.bundled().withDeployments(Deployment.parseAzure("a=gpt-4q", "s"), "s"))
        .isInstanceOf(CatalogValidationException.class)
        .hasMessageContaining("s[a].model: 'gpt-4q' is not a model of provider azure.ai.openai");
  }

  @Test
  void regionWildcardsMatchByPrefixAndExactRegionsWin() {
    String doc = """
        {"schema_version": 1, "catalog_version": "r", "models": [{"provider": "p", "id": "m", "prices": [{
          "effective_from": "2026-01-01", "source": "s", "input": "1",
          "regional": [{"regions": ["eu-*"], "multiplier": "2"},
                       {"regions": ["eu-west-*"], "multiplier": "3"},
                       {"regions": ["eu-west-3"], "input": "10"}]}]}]}
        """;
    CostCalculator calc = CostCalculator.of(PricingCatalog.parse(doc, "r.json"));
    Usage u = Usage.of(1_000_000, 0);
    assertThat(calc.price("p", "m", u, PricingContext.DEFAULT.withRegion("eu-central-1")).total()).isEqualByComparingTo("2");
    assertThat(calc.price("p", "m", u, PricingContext.DEFAULT.withRegion("eu-west-1")).total()).isEqualByComparingTo("3");
    assertThat(calc.price("p", "m", u, PricingContext.DEFAULT.withRegion("eu-west-3")).total()).isEqualByComparingTo("10");
    assertThat(calc.price("p", "m", u, PricingContext.DEFAULT.withRegion("us-east-1")).total()).isEqualByComparingTo("1");
    assertThatThrownBy(() -> PricingCatalog.parse(doc.replace("\"eu-*\"", "\"*eu\""), "r.json"))
        .hasMessageContaining("regional[0].regions[0]: '*' is allowed only at the end of a region prefix");
  }
}
