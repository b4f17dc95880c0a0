package dev.aicost.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link MockOpenAiServer}'s Azure OpenAI paths, proven with openai-java in Azure mode. */
class MockOpenAiServerAzureTest {

  static MockOpenAiServer server;

  @BeforeAll
  static void start() {
    server = MockOpenAiServer.builder().azureDeployment("prod-chat", "gpt-4o").requireApiKey("azure-key").start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static OpenAIClient azure(String key) {
    return OpenAIOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:" + server.port())
        .credential(AzureApiKeyCredential.create(key))
        .azureServiceVersion(AzureOpenAIServiceVersion.fromString("2024-10-21"))
        .azureUrlPathMode(AzureUrlPathMode.LEGACY)
        .maxRetries(0)
        .responseValidation(true)
        .build();
  }

  static ChatCompletionCreateParams params() {
    return ChatCompletionCreateParams.builder().model("prod-chat").addUserMessage("Hello from Azure").build();
  }

  @Test
  void deploymentPathServesTheDeploymentsModel() {
    OpenAIClient client = azure("azure-key");
    ChatCompletion c = client.chat().completions().create(params());
    assertThat(c.model()).isEqualTo("gpt-4o-2024-08-06");
    RecordedRequest r = server.lastRequest();
    assertThat(r.path()).isEqualTo("/openai/deployments/prod-chat/chat/completions");
    assertThat(r.query()).isEqualTo("api-version=2024-10-21");
    assertThat(r.header("api-key")).contains("azure-key");
    client.close();
  }

  @Test
  void streamingWithUsageWorksOnTheDeploymentPath() {
    OpenAIClient client = azure("azure-key");
    long[] usage = {0};
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params().toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      s.stream().forEach(chunk -> chunk.usage().ifPresent(u -> usage[0] = u.totalTokens()));
    }
    assertThat(usage[0]).isPositive();
    client.close();
  }

  @Test
  void wrongKeyIsRejectedTheAzureWay() {
    OpenAIClient client = azure("wrong");
    assertThatThrownBy(() -> client.chat().completions().create(params()))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining("invalid subscription key");
    client.close();
  }

  @Test
  void deploymentPathWithoutApiVersionIsNotFound() throws Exception {
    java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + server.port() + "/openai/deployments/prod-chat/chat/completions"))
            .header("api-key", "azure-key")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"messages\":[]}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}");
  }

  @Test
  void unknownPathIsStillNotFound() {
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:" + server.port() + "/nowhere").apiKey("azure-key").maxRetries(0).build();
    assertThatThrownBy(() -> client.chat().completions().create(params())).isInstanceOf(NotFoundException.class);
    client.close();
  }
}
