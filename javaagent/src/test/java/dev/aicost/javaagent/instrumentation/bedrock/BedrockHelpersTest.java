package dev.aicost.javaagent.instrumentation.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.bootstrap.AiCallHandle;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/** The Bedrock helpers' pure logic, against the oldest supported SDK (the module is compiled against it). */
class BedrockHelpersTest {

  @Test
  void modelIdsInferenceProfilesAndArnsResolveToTheModelThatIsPriced() {
    assertThat(BedrockModels.requestModel("anthropic.claude-3-haiku-20240307-v1:0"))
        .isEqualTo("anthropic.claude-3-haiku-20240307-v1:0");
    assertThat(BedrockModels.requestModel("us.anthropic.claude-sonnet-4-5-20250929-v1:0"))
        .isEqualTo("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    assertThat(BedrockModels.requestModel(
            "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"))
        .isEqualTo("anthropic.claude-3-haiku-20240307-v1:0");
    assertThat(BedrockModels.requestModel(
            "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.amazon.nova-lite-v1:0"))
        .isEqualTo("eu.amazon.nova-lite-v1:0");
    assertThat(BedrockModels.requestModel(
            "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/us-gov.anthropic.claude-3-haiku-20240307-v1:0"))
        .isEqualTo("us-gov.anthropic.claude-3-haiku-20240307-v1:0");
    String appProfile = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6";
    assertThat(BedrockModels.requestModel(appProfile)).isEqualTo(appProfile);
    String provisioned = "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdefghijkl";
    assertThat(BedrockModels.requestModel(provisioned)).isEqualTo(provisioned);
    assertThat(BedrockModels.requestModel(null)).isNull();

    assertThat(BedrockModels.baseModel("global.anthropic.claude-sonnet-4-5-20250929-v1:0"))
        .isEqualTo("anthropic.claude-sonnet-4-5-20250929-v1:0");
    assertThat(BedrockModels.baseModel("apac.amazon.nova-pro-v1:0")).isEqualTo("amazon.nova-pro-v1:0");
    assertThat(BedrockModels.baseModel("amazon.nova-pro-v1:0")).isEqualTo("amazon.nova-pro-v1:0");
  }

  @Test
  void familiesAndOperations() {
    assertThat(BedrockModels.family("us.anthropic.claude-3-5-haiku-20241022-v1:0")).isEqualTo("anthropic");
    assertThat(BedrockModels.family("amazon.nova-micro-v1:0")).isEqualTo("nova");
    assertThat(BedrockModels.family("amazon.titan-text-express-v1")).isEqualTo("titan");
    assertThat(BedrockModels.family("meta.llama3-1-8b-instruct-v1:0")).isEqualTo("llama");
    assertThat(BedrockModels.family("mistral.mistral-large-2402-v1:0")).isEqualTo("mistral");
    assertThat(BedrockModels.family("cohere.command-r-plus-v1:0")).isEqualTo("cohere");
    assertThat(BedrockModels.family("deepseek.r1-v1:0")).isEqualTo("other");
    assertThat(BedrockModels.operation("amazon.titan-embed-text-v2:0")).isEqualTo("embeddings");
    assertThat(BedrockModels.operation("cohere.embed-multilingual-v3")).isEqualTo("embeddings");
    assertThat(BedrockModels.operation("amazon.nova-2-multimodal-embeddings-v1:0")).isEqualTo("embeddings");
    assertThat(BedrockModels.operation("us.amazon.nova-lite-v1:0")).isEqualTo("chat");
    assertThat(BedrockModels.operation("cohere.command-r-v1:0")).isEqualTo("chat");
  }

  @Test
  void converseTokenUsageIsNormalizedToIncludeTheCache() {
    BedrockUsage u = BedrockUsage.fromTokenUsage(TokenUsage.builder().inputTokens(10).outputTokens(5).totalTokens(15)
        .build());
    Recorded r = report(u);
    assertThat(r.calls).containsEntry("usage", List.of(10L, 5L)).containsEntry("cacheReadTokens", List.of(0L))
        .containsEntry("cacheWrite5mTokens", List.of(0L)).containsEntry("cacheWrite1hTokens", List.of(0L));
    assertThat(BedrockUsage.fromTokenUsage(null).isKnown()).isFalse();
  }

  @Test
  void headersAreReadWithCacheCounts() {
    SdkHttpResponse http = SdkHttpResponse.builder().statusCode(200)
        .putHeader("X-Amzn-Bedrock-Input-Token-Count", "30")
        .putHeader("X-Amzn-Bedrock-Output-Token-Count", "40")
        .putHeader("x-amzn-bedrock-cache-read-input-token-count", "100")
        .putHeader("X-Amzn-Bedrock-Cache-Write-Input-Token-Count", "7")
        .build();
    Recorded r = report(BedrockUsage.fromHeaders(http));
    assertThat(r.calls).containsEntry("usage", List.of(137L, 40L)).containsEntry("cacheReadTokens", List.of(100L))
        .containsEntry("cacheWrite5mTokens", List.of(7L));
    SdkHttpResponse none = SdkHttpResponse.builder().statusCode(200)
        .putHeader("X-Amzn-Bedrock-Input-Token-Count", "not a number").build();
    assertThat(BedrockUsage.fromHeaders(none).isKnown()).isFalse();
  }

  @Test
  void nativeBodiesOfEachFamily() {
    BedrockUsage anthropic = BedrockUsage.fromBody("anthropic", json(
        "{\"usage\":{\"input_tokens\":20,\"cache_creation_input_tokens\":3000,\"cache_read_input_tokens\":1500,"
            + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":2000,\"ephemeral_1h_input_tokens\":1000},"
            + "\"output_tokens\":300}}"));
    assertThat(report(anthropic).calls).containsEntry("usage", List.of(4520L, 300L))
        .containsEntry("cacheReadTokens", List.of(1500L)).containsEntry("cacheWrite5mTokens", List.of(2000L))
        .containsEntry("cacheWrite1hTokens", List.of(1000L));
    BedrockUsage nova = BedrockUsage.fromBody("nova", json(
        "{\"usage\":{\"inputTokens\":10,\"outputTokens\":4,\"totalTokens\":14,\"cacheReadInputTokenCount\":64,"
            + "\"cacheWriteInputTokenCount\":0}}"));
    assertThat(report(nova).calls).containsEntry("usage", List.of(74L, 4L)).containsEntry("cacheReadTokens",
        List.of(64L));
    BedrockUsage titan = BedrockUsage.fromBody("titan", json(
        "{\"inputTextTokenCount\":12,\"results\":[{\"tokenCount\":30,\"outputText\":\"x\"},{\"tokenCount\":5}]}"));
    assertThat(report(titan).calls).containsEntry("usage", List.of(12L, 35L));
    BedrockUsage embedding = BedrockUsage.fromBody("titan", json("{\"embedding\":[0.1],\"inputTextTokenCount\":9}"));
    assertThat(report(embedding).calls).containsEntry("usage", List.of(9L, 0L));
    BedrockUsage llama = BedrockUsage.fromBody("llama", json(
        "{\"generation\":\"x\",\"prompt_token_count\":21,\"generation_token_count\":5,\"stop_reason\":\"stop\"}"));
    assertThat(report(llama).calls).containsEntry("usage", List.of(21L, 5L));
    assertThat(BedrockUsage.fromBody("mistral", json("{\"outputs\":[{\"text\":\"x\"}]}")).isKnown()).isFalse();
    assertThat(BedrockUsage.fromBody("anthropic", json("[1,2]")).isKnown()).isFalse();
    assertThat(BedrockUsage.fromBody("llama", json("{\"prompt_token_count\":-3,\"generation_token_count\":1}"))
        .isKnown()).isFalse();
  }

  @Test
  void errorTypeIsTheHttpStatusOfAServiceError() {
    assertThat(BedrockCall.errorType(ThrottlingException.builder().statusCode(429).message("slow down").build()))
        .isEqualTo("429");
    assertThat(BedrockCall.errorType(new java.util.concurrent.CompletionException(
            ModelStreamErrorException.builder().statusCode(424).build())))
        .isEqualTo("424");
    assertThat(BedrockCall.errorType(new java.io.UncheckedIOException(new java.io.IOException("reset"))))
        .isEqualTo("java.io.UncheckedIOException");
  }

  private static JsonNode json(String s) {
    return JsonNode.parser().parse(s.getBytes(StandardCharsets.UTF_8));
  }

  /** The calls a usage made on a handle, by method name. */
  static final class Recorded {
    final Map<String, List<Object>> calls = new LinkedHashMap<>();
  }

  private static Recorded report(BedrockUsage usage) {
    Recorded recorded = new Recorded();
    AiCallHandle handle = (AiCallHandle) Proxy.newProxyInstance(
        BedrockHelpersTest.class.getClassLoader(), new Class<?>[] {AiCallHandle.class},
        (proxy, method, args) -> {
          recorded.calls.put(method.getName(), args == null ? List.of() : List.of(args));
          return method.getReturnType() == AiCallHandle.class ? proxy : null;
        });
    assertThat(usage.report(handle)).isTrue();
    return recorded;
  }
}
