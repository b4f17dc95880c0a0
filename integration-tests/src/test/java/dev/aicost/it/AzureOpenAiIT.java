package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aicost.testing.MockReply;
import dev.aicost.testing.RecordedRequest;
import dev.aicost.testing.ReceivedSpan;
import dev.aicost.testing.TokenUsage;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Azure OpenAI through openai-java (version {@code it.openai.version}): the deployment name is the request model,
 * the response's model (or the deployment mapping, aicost.pricing.azure.deployments) is priced with the {@code azure.ai.openai} catalog.
 *
 * <p>The forked JVM's HTTP proxy is the mock server, so the client calls {@code http://aicost-it.openai.azure.com}
 * in its real Azure mode (openai-java 2.x and 4.x recognize the host) and the mock answers on the Azure paths.
 *
 * <p>The mock serves deployment {@code prod-chat} with gpt-4o (reported as {@code gpt-4o-2024-08-06}); other
 * deployments answer with their own name, which the catalog does not know.
 *
 * <p>Prices used (Azure OpenAI global deployments, USD per 1M tokens): gpt-4o input 2.50, cached input 1.25,
 * output 10.00; Data Zone deployments 1.1x: gpt-4o-mini input 0.165, output 0.66.
 */
class AzureOpenAiIT extends AgentIntegrationTest {

  static final String HOST = "aicost-it.openai.azure.com";

  private AgentRun runAzure(String scenario, Map<String, String> properties, String... more) {
    Map<String, String> props = new java.util.HashMap<>(properties);
    // The JVM's HTTP proxy is the mock: the client talks to http://HOST as it would to Azure (no port, which
    // openai-java 2.x's Azure check would not accept); OTLP to 127.0.0.1 bypasses the proxy (http.nonProxyHosts).
    props.put("http.proxyHost", "127.0.0.1");
    props.put("http.proxyPort", Integer.toString(harness.openai().port()));
    String[] args = new String[2 + more.length];
    args[0] = scenario;
    args[1] = "http://" + HOST;
    System.arraycopy(more, 0, args, 2, more.length);
    return harness.run("dev.aicost.it.app.AzureOpenAiScenarios", props, args);
  }

  @Test
  void deploymentCallIsAzureAndPricedByTheResponsesModel() {
    harness.openai().enqueue(MockReply.usage(TokenUsage.builder().promptTokens(1200).cachedTokens(1024).completionTokens(80).build()));
    AgentRun run = runAzure("chat-sync", Map.of()).succeeded();

    RecordedRequest request = harness.openai().lastRequest();
    assertThat(request.path()).isEqualTo("/openai/deployments/prod-chat/chat/completions");
    assertThat(request.query()).isEqualTo("api-version=2024-10-21");
    assertThat(request.header("api-key")).contains("azure-test-secret-key");

    ReceivedSpan span = harness.otlp().awaitSpan("chat prod-chat", WAIT);
    assertThat(span.attributes())
        .containsEntry("gen_ai.provider.name", "azure.ai.openai")
        .containsEntry("gen_ai.request.model", "prod-chat")
        .containsEntry("gen_ai.response.model", "gpt-4o-2024-08-06")
        .containsEntry("server.address", HOST)
        .containsEntry("server.port", 80L)
        .containsEntry("gen_ai.usage.input_tokens", 1200L)
        .containsEntry("gen_ai.usage.cache_read.input_tokens", 1024L)
        .containsEntry("gen_ai.usage.output_tokens", 80L)
        // (1200 - 1024) x 2.50 + 1024 x 1.25 + 80 x 10.00 = 440 + 1280 + 800 micro-USD
        .containsEntry("gen_ai.usage.cost.amount", 0.00252)
        .containsEntry("aicost.cost.input", 0.00044)
        .containsEntry("aicost.cost.cache_read", 0.00128)
        .containsEntry("aicost.cost.output", 0.0008)
        .containsEntry("aicost.priced", true)
        .containsEntry("aicost.pricing.entry", "azure.ai.openai/gpt-4o");
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("provider").asText()).isEqualTo("azure.ai.openai");
    assertThat(line.get("request_model").asText()).isEqualTo("prod-chat");
    assertThat(line.get("response_model").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(line.get("server_address").asText()).isEqualTo(HOST);
    assertThat(line.get("cost").get("amount").asText()).isEqualTo("0.00252");
    assertThat(run.stderr() + line).doesNotContain("azure-test-secret-key");
  }

  @Test
  void deploymentWithoutAKnownModelIsNotPricedSilently() {
    AgentRun run = runAzure("chat-sync", Map.of(), "ft-chat").succeeded();
    assertThat(harness.otlp().awaitSpan("chat ft-chat", WAIT).attributes())
        .containsEntry("gen_ai.provider.name", "azure.ai.openai")
        .containsEntry("gen_ai.response.model", "ft-chat")
        .containsEntry("aicost.priced", false)
        .containsEntry("aicost.unpriced_reason", "unknown_model");
    assertThat(run.singleLedgerLine().get("cost").isNull()).isTrue();
  }

  @Test
  void deploymentMappingPricesADeploymentWhoseModelTheCatalogDoesNotKnow() {
    // The mock answers ft-chat with the deployment's own name; aicost.pricing.azure.deployments names the model behind it.
    harness.openai().enqueue(MockReply.usage(TokenUsage.builder().promptTokens(1200).cachedTokens(1024).completionTokens(80).build()));
    AgentRun run = runAzure("chat-sync", Map.of("aicost.pricing.azure.deployments", "ft-chat=gpt-4o"), "ft-chat").succeeded();
    ReceivedSpan span = harness.otlp().awaitSpan("chat ft-chat", WAIT);
    assertThat(span.attributes())
        .containsEntry("gen_ai.provider.name", "azure.ai.openai")
        // (1200 - 1024) x 2.50 + 1024 x 1.25 + 80 x 10.00 = 440 + 1280 + 800 micro-USD
        .containsEntry("gen_ai.usage.cost.amount", 0.00252)
        .containsEntry("aicost.cost.cache_read", 0.00128)
        .containsEntry("aicost.priced", true)
        .containsEntry("aicost.pricing.entry", "azure.ai.openai/gpt-4o");
    JsonNode line = run.singleLedgerLine();
    assertThat(line.get("provider").asText()).isEqualTo("azure.ai.openai");
    assertThat(line.get("request_model").asText()).isEqualTo("ft-chat");
    assertThat(line.get("cost").get("amount").asText()).isEqualTo("0.00252");
  }

  @Test
  void dataZoneDeploymentIsPricedAtTheDataZoneRate() {
    harness.openai().enqueue(MockReply.usage(TokenUsage.of(1000, 100)));
    AgentRun run = runAzure("chat-sync", Map.of("aicost.pricing.azure.deployments", "eu-mini=gpt-4o-mini@data_zone"), "eu-mini")
        .succeeded();
    // 1000 x 0.165 + 100 x 0.66 = 165 + 66 micro-USD
    assertThat(harness.otlp().awaitSpan("chat eu-mini", WAIT).attributes())
        .containsEntry("gen_ai.usage.cost.amount", 0.000231)
        .containsEntry("aicost.pricing.entry", "azure.ai.openai/gpt-4o-mini");
    assertThat(run.singleLedgerLine().get("cost").get("amount").asText()).isEqualTo("0.000231");
  }

  @Test
  void streamingDeploymentIsMeteredFromTheUsageChunk() {
    harness.openai().enqueue(MockReply.usage(TokenUsage.of(20, 30)));
    AgentRun run = runAzure("chat-stream", Map.of()).succeeded();
    assertThat(run.results().get("text")).isNotEmpty();
    // 20 x 2.50 + 30 x 10.00 = 50 + 300 micro-USD
    assertThat(harness.otlp().awaitSpan("chat prod-chat", WAIT).attributes())
        .containsEntry("gen_ai.provider.name", "azure.ai.openai")
        .containsEntry("gen_ai.request.stream", true)
        .containsEntry("gen_ai.usage.cost.amount", 0.00035);
  }

  @Test
  void privateEndpointIsRecognizedFromTheClientNotTheHost() {
    harness.openai().enqueue(MockReply.usage(TokenUsage.of(1000, 100)));
    AgentRun run = harness.run("dev.aicost.it.app.AzureOpenAiScenarios",
        Map.of(),
        "private-sync", "http://127.0.0.1:" + harness.openai().port()).succeeded();
    assumeFalse(run.results().containsKey("skipped"), "openai-java 2.x has no Azure URL path mode");
    assertThat(harness.openai().lastRequest().path()).isEqualTo("/openai/deployments/prod-chat/chat/completions");
    // 1000 x 2.50 + 100 x 10.00 = 2500 + 1000 micro-USD
    assertThat(harness.otlp().awaitSpan("chat prod-chat", WAIT).attributes())
        .containsEntry("gen_ai.provider.name", "azure.ai.openai")
        .containsEntry("server.address", "127.0.0.1")
        .containsEntry("gen_ai.usage.cost.amount", 0.0035);
  }
}
