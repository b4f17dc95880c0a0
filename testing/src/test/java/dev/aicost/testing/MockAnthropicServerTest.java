package dev.aicost.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.bedrock.backends.BedrockBackend;
import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.ToolUnion;
import com.anthropic.models.messages.WebSearchTool20250305;
import com.anthropic.vertex.backends.VertexBackend;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;

/** {@link MockAnthropicServer} proven with the real anthropic-java client and its Bedrock and Vertex backends. */
class MockAnthropicServerTest {

  /** 1,200 tokens of system prompt: long enough to be cached. */
  static final String LONG_SYSTEM = "You are a meticulous assistant. ".repeat(150);

  static MockAnthropicServer server;
  static AnthropicClient client;

  @BeforeAll
  static void start() {
    server = MockAnthropicServer.start();
    client = AnthropicOkHttpClient.builder()
        .baseUrl(server.baseUrl())
        .apiKey("sk-ant-test")
        .maxRetries(0)
        .responseValidation(true)
        .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    if (bedrockClient != null) {
      bedrockClient.close();
    }
    if (vertexClient != null) {
      vertexClient.close();
    }
    server.close();
  }

  @BeforeEach
  void reset() {
    server.reset();
  }

  static MessageCreateParams.Builder params() {
    return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(1024).addUserMessage("Hello, Claude");
  }

  static MessageCreateParams cached(CacheControlEphemeral.Ttl ttl) {
    return params()
        .systemOfTextBlockParams(List.of(TextBlockParam.builder()
            .text(LONG_SYSTEM)
            .cacheControl(CacheControlEphemeral.builder().ttl(ttl).build())
            .build()))
        .build();
  }

  @Test
  void messageHasSnapshotModelTextAndDeterministicUsage() {
    Message m = client.messages().create(params().build());
    assertThat(m.id()).startsWith("msg_");
    assertThat(m.model().asString()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(m.stopReason().get().asString()).isEqualTo("end_turn");
    assertThat(m.content().get(0).text().get().text()).isNotEmpty();
    // 3 base + 4 per message + ceil(13 / 4) = 11 input tokens; 64 output tokens
    assertThat(m.usage().inputTokens()).isEqualTo(11);
    assertThat(m.usage().outputTokens()).isEqualTo(64);
    assertThat(m.usage().cacheReadInputTokens()).contains(0L);
    assertThat(m.usage().serviceTier().get().asString()).isEqualTo("standard");
    // 2.x sends the key as x-api-key, 3.x as a bearer token; the server accepts both, as the API does
    RecordedRequest r = server.lastRequest();
    assertThat(r.header("x-api-key").orElseGet(() -> r.header("Authorization").orElse(""))).endsWith("sk-ant-test");
    assertThat(server.lastRequest().path()).isEqualTo("/v1/messages");
  }

  @Test
  void promptCachingWritesThenReadsTheCachedPrefix() {
    Message first = client.messages().create(cached(CacheControlEphemeral.Ttl.TTL_5M));
    long prefix = 3 + 1200; // base tokens + the system block
    assertThat(first.usage().cacheCreationInputTokens()).contains(prefix);
    assertThat(first.usage().cacheCreation().get().ephemeral5mInputTokens()).isEqualTo(prefix);
    assertThat(first.usage().cacheCreation().get().ephemeral1hInputTokens()).isZero();
    assertThat(first.usage().inputTokens()).isEqualTo(4 + 4); // the user message and its overhead

    Message second = client.messages().create(cached(CacheControlEphemeral.Ttl.TTL_5M));
    assertThat(second.usage().cacheReadInputTokens()).contains(prefix);
    assertThat(second.usage().cacheCreationInputTokens()).contains(0L);
    assertThat(second.usage().inputTokens()).isEqualTo(8);
  }

  @Test
  void oneHourBreakpointsAreReportedAsOneHourWritesAndExpire() {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-28T12:00:00Z"));
    Clock clock = new Clock() {
      @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public Instant instant() { return now.get(); }
    };
    try (MockAnthropicServer timed = MockAnthropicServer.builder().clock(clock).start()) {
      AnthropicClient c = AnthropicOkHttpClient.builder().baseUrl(timed.baseUrl()).apiKey("k").maxRetries(0).build();
      Message first = c.messages().create(cached(CacheControlEphemeral.Ttl.TTL_1H));
      assertThat(first.usage().cacheCreation().get().ephemeral1hInputTokens()).isEqualTo(1203);
      now.set(now.get().plus(Duration.ofMinutes(59)));
      assertThat(c.messages().create(cached(CacheControlEphemeral.Ttl.TTL_1H)).usage().cacheReadInputTokens())
          .contains(1203L);
      now.set(now.get().plus(Duration.ofMinutes(61)));
      assertThat(c.messages().create(cached(CacheControlEphemeral.Ttl.TTL_1H)).usage().cacheCreationInputTokens())
          .contains(1203L);
      c.close();
    }
  }

  @Test
  void scriptedUsageThinkingAndWebSearch() {
    server.enqueue(AnthropicReply.usage(new AnthropicTokenUsage(100, 2000, 300, 400, 50, 2)));
    Message m = client.messages().create(params().build());
    assertThat(m.usage().inputTokens()).isEqualTo(100);
    assertThat(m.usage().cacheReadInputTokens()).contains(2000L);
    assertThat(m.usage().cacheCreationInputTokens()).contains(700L);
    assertThat(m.usage().serverToolUse().get().webSearchRequests()).isEqualTo(2);

    Message thinking = client.messages().create(params().enabledThinking(1024)
        .addTool(ToolUnion.ofWebSearchTool20250305(WebSearchTool20250305.builder().maxUses(3).build())).build());
    assertThat(thinking.content().get(0).isThinking()).isTrue();
    assertThat(thinking.usage().outputTokens()).isEqualTo(64 + 192);
    assertThat(thinking.usage().serverToolUse().get().webSearchRequests()).isEqualTo(1);
  }

  @Test
  void streamCarriesInputInMessageStartAndCumulativeOutputInMessageDelta() {
    MessageAccumulator acc = MessageAccumulator.create();
    List<String> types = new ArrayList<>();
    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params().build())) {
      s.stream().forEach(e -> {
        acc.accumulate(e);
        types.add(e.messageStart().isPresent() ? "message_start" : e.messageDelta().isPresent() ? "message_delta"
            : e.messageStop().isPresent() ? "message_stop" : e.contentBlockDelta().isPresent() ? "delta" : "other");
      });
    }
    assertThat(types.get(0)).isEqualTo("message_start");
    assertThat(types).endsWith("message_delta", "message_stop").contains("delta");
    Message m = acc.message();
    assertThat(m.usage().inputTokens()).isEqualTo(11);
    assertThat(m.usage().outputTokens()).isEqualTo(64);
    assertThat(m.model().asString()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(server.lastRequest().json().path("stream").asBoolean()).isTrue();
  }

  @Test
  void errorsUseAnthropicsBodyAndStatus() {
    server.enqueue(AnthropicReply.rateLimited());
    assertThatThrownBy(() -> client.messages().create(params().build()))
        .isInstanceOf(RateLimitException.class)
        .hasMessageContaining("rate_limit_error");
    server.enqueue(AnthropicReply.overloaded());
    assertThatThrownBy(() -> client.messages().create(params().build()))
        .isInstanceOfSatisfying(AnthropicServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(529));
    server.enqueue(AnthropicReply.serverError());
    assertThatThrownBy(() -> client.messages().create(params().build())).isInstanceOf(InternalServerException.class);
  }

  @Test
  void errorEventEndsTheStreamWithAnException() {
    server.enqueue(AnthropicReply.streamError(3, "overloaded_error", "Overloaded"));
    List<RawMessageStreamEvent> seen = new ArrayList<>();
    assertThatThrownBy(() -> {
      try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params().build())) {
        s.stream().forEach(seen::add);
      }
    }).isInstanceOf(AnthropicServiceException.class).hasMessageContaining("overloaded_error");
    // message_start and content_block_start; the ping (event 2) is not surfaced by the SDK
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).messageStart()).isPresent();
  }

  @Test
  void cutStreamFailsTheReader() {
    server.enqueue(AnthropicReply.cutStream(2));
    assertThatThrownBy(() -> {
      try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params().build())) {
        s.stream().forEach(e -> {});
      }
    }).isInstanceOf(RuntimeException.class);
  }

  @Test
  void countTokensIsAnsweredAndConsumesNoScriptedReply() {
    server.enqueue(AnthropicReply.rateLimited());
    long tokens = client.messages().countTokens(MessageCountTokensParams.builder()
        .model("claude-sonnet-4-5").addUserMessage("Hello, Claude").build()).inputTokens();
    assertThat(tokens).isEqualTo(11);
    assertThat(server.queuedReplies()).isEqualTo(1);
  }

  static AnthropicClient bedrockClient;
  static AnthropicClient vertexClient;

  static AnthropicClient bedrock() {
    if (bedrockClient == null) {
      bedrockClient = newBedrock();
    }
    return bedrockClient;
  }

  static AnthropicClient vertex() {
    if (vertexClient == null) {
      vertexClient = newVertex();
    }
    return vertexClient;
  }

  static AnthropicClient newBedrock() {
    return AnthropicOkHttpClient.builder()
        .backend(BedrockBackend.builder()
            .awsCredentials(AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))
            .region(Region.US_EAST_1)
            .baseUrl(server.bedrockBaseUrl())
            .build())
        .maxRetries(0)
        .responseValidation(true)
        .build();
  }

  @Test
  void bedrockInvokeIsSignedAndAnswered() {
    AnthropicClient c = bedrock();
    {
      Message m = c.messages().create(params().model("us.anthropic.claude-sonnet-4-5-20250929-v1:0").build());
      assertThat(m.id()).startsWith("msg_bdrk_");
      assertThat(m.model().asString()).isEqualTo("claude-sonnet-4-5-20250929");
      assertThat(m.usage().inputTokens()).isEqualTo(11);
    }
    RecordedRequest r = server.lastRequest();
    assertThat(r.path()).isEqualTo("/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke");
    assertThat(r.header("Authorization").get()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/");
    assertThat(r.json().path("anthropic_version").asText()).isNotEmpty();
    assertThat(r.json().has("model")).isFalse();
  }

  @Test
  void bedrockStreamIsAnAwsEventStream() {
    MessageAccumulator acc = MessageAccumulator.create();
    AnthropicClient c = bedrock();
    try (StreamResponse<RawMessageStreamEvent> s =
            c.messages().createStreaming(params().model("anthropic.claude-3-5-haiku-20241022-v1:0").build())) {
      s.stream().forEach(acc::accumulate);
    }
    assertThat(acc.message().model().asString()).isEqualTo("claude-3-5-haiku-20241022");
    assertThat(acc.message().usage().outputTokens()).isEqualTo(64);
    assertThat(server.lastRequest().path())
        .isEqualTo("/model/anthropic.claude-3-5-haiku-20241022-v1:0/invoke-with-response-stream");
  }

  @Test
  void bedrockStreamExceptionReachesTheReader() {
    server.enqueue(AnthropicReply.streamError(2, "rate_limit_error", "Too many tokens, please wait."));
    AnthropicClient c = bedrock();
    {
      assertThatThrownBy(() -> {
        try (StreamResponse<RawMessageStreamEvent> s =
            c.messages().createStreaming(params().model("anthropic.claude-3-5-haiku-20241022-v1:0").build())) {
          s.stream().forEach(e -> {});
        }
      }).isInstanceOf(AnthropicServiceException.class);
    }
  }

  static AnthropicClient newVertex() {
    GoogleCredentials credentials =
        GoogleCredentials.create(new AccessToken("ya29.test-token", Date.from(Instant.now().plusSeconds(3600))));
    return AnthropicOkHttpClient.builder()
        .backend(VertexBackend.builder()
            .googleCredentials(credentials)
            .region("us-east5")
            .project("aicost-test")
            .baseUrl(server.vertexBaseUrl())
            .build())
        .maxRetries(0)
        .responseValidation(true)
        .build();
  }

  @Test
  void vertexRawPredictAndStreamRawPredict() {
    AnthropicClient c = vertex();
    {
      Message m = c.messages().create(params().model("claude-sonnet-4-5@20250929").build());
      assertThat(m.id()).startsWith("msg_vrtx_");
      assertThat(m.model().asString()).isEqualTo("claude-sonnet-4-5-20250929");
      RecordedRequest r = server.lastRequest();
      assertThat(r.path()).isEqualTo(
          "/v1/projects/aicost-test/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict");
      assertThat(r.header("Authorization")).contains("Bearer ya29.test-token");
      MessageAccumulator acc = MessageAccumulator.create();
      try (StreamResponse<RawMessageStreamEvent> s =
          c.messages().createStreaming(params().model("claude-sonnet-4-5@20250929").build())) {
        s.stream().forEach(acc::accumulate);
      }
      assertThat(acc.message().usage().outputTokens()).isEqualTo(64);
      assertThat(server.lastRequest().path()).endsWith(":streamRawPredict");
    }
  }

  @Test
  void unsignedBedrockRequestIsRejectedLikeAws() throws Exception {
    java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/model/anthropic.x/invoke"))
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("Missing Authentication Token");
    assertThat(response.headers().firstValue("x-amzn-ErrorType").get()).startsWith("AccessDeniedException");
  }
}
