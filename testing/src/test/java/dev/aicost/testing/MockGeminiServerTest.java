package dev.aicost.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ClientException;
import com.google.genai.errors.ServerException;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Tool;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link MockGeminiServer} proven with the real google-genai client, in Gemini API and Vertex AI mode. */
public class MockGeminiServerTest {

  static MockGeminiServer server;

  @BeforeAll
  static void startServer() {
    server = MockGeminiServer.builder().requireApiKey("gemini-key").requireAccessToken("ya29.token").start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void reset() {
    server.reset();
  }

  static HttpOptions options() {
    return HttpOptions.builder()
        .baseUrl(server.baseUrl())
        .retryOptions(HttpRetryOptions.builder().attempts(1).build())
        .build();
  }

  static Client gemini() {
    return Client.builder().apiKey("gemini-key").httpOptions(options()).build();
  }

  static Client vertex() {
    GoogleCredentials credentials =
        GoogleCredentials.create(new AccessToken("ya29.token", new Date(System.currentTimeMillis() + 3_600_000)));
    return Client.builder()
        .vertexAI(true)
        .project("my-project")
        .location("europe-west4")
        .credentials(credentials)
        .httpOptions(options())
        .build();
  }

  @Test
  void geminiGenerateContentHasGooglesShapeAndFormulaUsage() {
    try (Client client = gemini()) {
      GenerateContentResponse r =
          client.models.generateContent(
              "gemini-2.0-flash", "Hello there!", GenerateContentConfig.builder().maxOutputTokens(10).build());
      assertThat(r.text()).hasSize(40);
      assertThat(r.modelVersion()).contains("gemini-2.0-flash-001");
      assertThat(r.responseId()).isPresent();
      assertThat(r.finishReason().toString()).isEqualTo("STOP");
      GenerateContentResponseUsageMetadata u = r.usageMetadata().orElseThrow();
      assertThat(u.promptTokenCount()).contains(3); // "Hello there!" = 12 chars
      assertThat(u.candidatesTokenCount()).contains(10);
      assertThat(u.totalTokenCount()).contains(13);
      assertThat(u.trafficType()).isEmpty();
    }
    RecordedRequest req = server.lastRequest();
    assertThat(req.path()).isEqualTo("/v1/models/gemini-2.0-flash:generateContent");
    assertThat(req.header("x-goog-api-key")).contains("gemini-key");
  }

  @Test
  void scriptedUsageCarriesEveryDetail() {
    server.enqueue(
        GeminiReply.usage(
            GeminiUsage.of(1000, 50).withCached(600).withThoughts(200).withToolUsePrompt(30).withAudio(100, 40, 0)));
    try (Client client = gemini()) {
      GenerateContentResponseUsageMetadata u =
          client.models.generateContent("gemini-2.5-pro", "Hi", null).usageMetadata().orElseThrow();
      assertThat(u.promptTokenCount()).contains(1000);
      assertThat(u.cachedContentTokenCount()).contains(600);
      assertThat(u.candidatesTokenCount()).contains(50);
      assertThat(u.thoughtsTokenCount()).contains(200);
      assertThat(u.toolUsePromptTokenCount()).contains(30);
      assertThat(u.totalTokenCount()).contains(1280);
      assertThat(u.promptTokensDetails().orElseThrow()).hasSize(2);
      assertThat(u.promptTokensDetails().orElseThrow().get(1).modality().orElseThrow().toString()).isEqualTo("AUDIO");
      assertThat(u.promptTokensDetails().orElseThrow().get(1).tokenCount()).contains(100);
      assertThat(u.cacheTokensDetails().orElseThrow().get(1).tokenCount()).contains(40);
    }
  }

  @Test
  void streamSendsRunningUsageAndTheFinishReasonOnTheLastChunk() {
    List<GenerateContentResponse> chunks = new ArrayList<>();
    try (Client client = gemini();
        ResponseStream<GenerateContentResponse> stream =
            client.models.generateContentStream(
                "gemini-2.5-flash", "Stream please", GenerateContentConfig.builder().maxOutputTokens(10).build())) {
      stream.forEach(chunks::add);
    }
    assertThat(server.lastRequest().path()).isEqualTo("/v1/models/gemini-2.5-flash:streamGenerateContent");
    assertThat(server.lastRequest().query()).isEqualTo("alt=sse");
    assertThat(chunks).hasSize(3); // 10 tokens, 4 per chunk
    assertThat(chunks.get(0).usageMetadata().orElseThrow().candidatesTokenCount()).contains(4);
    assertThat(chunks.get(0).candidates().orElseThrow().get(0).finishReason()).isEmpty();
    GenerateContentResponse last = chunks.get(2);
    assertThat(last.usageMetadata().orElseThrow().candidatesTokenCount()).contains(10);
    assertThat(last.usageMetadata().orElseThrow().promptTokenCount()).contains(4);
    assertThat(last.finishReason().toString()).isEqualTo("STOP");
    assertThat(String.join("", chunks.stream().map(GenerateContentResponse::text).toList())).hasSize(40);
  }

  /** The weather tool the automatic function-calling test registers. */
  public static String weather(String city) {
    return "Sunny in " + city;
  }

  @Test
  void functionCallRepliesDriveTheAutomaticFunctionCallingLoop() throws Exception {
    server.enqueue(GeminiReply.functionCall("weather", "{\"city\":\"Paris\"}"), GeminiReply.text("It is sunny."));
    Method weather = MockGeminiServerTest.class.getMethod("weather", String.class);
    try (Client client = gemini()) {
      GenerateContentResponse r =
          client.models.generateContent(
              "gemini-2.5-flash",
              "Weather in Paris?",
              GenerateContentConfig.builder().tools(Tool.builder().functions(weather).build()).build());
      assertThat(r.text()).isEqualTo("It is sunny.");
    }
    List<RecordedRequest> requests = server.requests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1).body()).contains("functionResponse").contains("Sunny in Paris");
  }

  @Test
  void errorsUseGooglesErrorBody() {
    server.enqueue(GeminiReply.resourceExhausted(), GeminiReply.internalError());
    try (Client client = gemini()) {
      assertThatThrownBy(() -> client.models.generateContent("gemini-2.5-flash", "Hi", null))
          .isInstanceOfSatisfying(ClientException.class, e -> {
            assertThat(e.code()).isEqualTo(429);
            assertThat(e.status()).isEqualTo("RESOURCE_EXHAUSTED");
          });
      assertThatThrownBy(() -> client.models.generateContent("gemini-2.5-flash", "Hi", null))
          .isInstanceOfSatisfying(ServerException.class, e -> assertThat(e.code()).isEqualTo(500));
    }
  }

  @Test
  void aWrongApiKeyIsRejectedAsGoogleDoes() {
    try (Client client = Client.builder().apiKey("wrong").httpOptions(options()).build()) {
      assertThatThrownBy(() -> client.models.generateContent("gemini-2.5-flash", "Hi", null))
          .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.code()).isEqualTo(400));
    }
  }

  @Test
  void anErrorEventEndsTheStreamWithTheErrorsCode() {
    server.enqueue(GeminiReply.errorEvent(1, 503, "UNAVAILABLE", "The model is overloaded."));
    try (Client client = gemini();
        ResponseStream<GenerateContentResponse> stream =
            client.models.generateContentStream("gemini-2.5-flash", "Hi", null)) {
      assertThatThrownBy(() -> stream.forEach(c -> {})).isInstanceOfSatisfying(
          ServerException.class, e -> assertThat(e.code()).isEqualTo(503));
    }
  }

  @Test
  void geminiEmbeddingsUseBatchEmbedContentsWithoutUsage() {
    try (Client client = gemini()) {
      EmbedContentResponse r = client.models.embedContent("gemini-embedding-001", List.of("one", "two"), null);
      assertThat(r.embeddings().orElseThrow()).hasSize(2);
      assertThat(r.embeddings().orElseThrow().get(0).values().orElseThrow()).hasSize(8);
      assertThat(r.embeddings().orElseThrow().get(0).statistics()).isEmpty();
    }
    assertThat(server.lastRequest().path()).isEqualTo("/v1/models/gemini-embedding-001:batchEmbedContents");
  }

  @Test
  void vertexGenerateContentUsesTheProjectPathAndBearerToken() {
    try (Client client = vertex()) {
      GenerateContentResponse r = client.models.generateContent("gemini-2.5-flash", "Hello Vertex", null);
      assertThat(r.usageMetadata().orElseThrow().trafficType().orElseThrow().toString()).isEqualTo("ON_DEMAND");
      assertThat(r.usageMetadata().orElseThrow().promptTokenCount()).contains(3);
      assertThat(r.usageMetadata().orElseThrow().candidatesTokenCount()).contains(32);
    }
    RecordedRequest req = server.lastRequest();
    assertThat(req.path())
        .isEqualTo("/v1beta1/projects/my-project/locations/europe-west4/publishers/google/models/gemini-2.5-flash"
            + ":generateContent");
    assertThat(req.header("Authorization")).contains("Bearer ya29.token");
  }

  @Test
  void vertexEmbeddingsUsePredictWithTokenStatistics() {
    try (Client client = vertex()) {
      EmbedContentResponse r = client.models.embedContent("text-embedding-005", List.of("hello world", "x"), null);
      assertThat(r.embeddings().orElseThrow().get(0).statistics().orElseThrow().tokenCount()).contains(3.0f);
      assertThat(r.embeddings().orElseThrow().get(1).statistics().orElseThrow().tokenCount()).contains(1.0f);
      assertThat(r.metadata().orElseThrow().billableCharacterCount()).contains(11);
    }
    assertThat(server.lastRequest().path()).endsWith("/publishers/google/models/text-embedding-005:predict");
  }

  @Test
  void unknownPathsGet404() {
    try (Client client = gemini()) {
      assertThatThrownBy(() -> client.models.countTokens("gemini-2.5-flash", "Hi", null))
          .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.code()).isEqualTo(404));
    }
  }
}
