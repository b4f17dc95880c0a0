package dev.aicost.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.CacheTTL;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/** Proves {@link MockBedrockServer}'s wire formats with the real AWS SDK for Java v2 Bedrock Runtime clients. */
class MockBedrockServerTest {

  static MockBedrockServer server;
  static BedrockRuntimeClient sync;
  static BedrockRuntimeAsyncClient async;

  @BeforeAll
  static void start() {
    server = MockBedrockServer.start();
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG"));
    ClientOverrideConfiguration noRetries =
        ClientOverrideConfiguration.builder().retryPolicy(RetryPolicy.none()).build();
    sync = BedrockRuntimeClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(credentials).overrideConfiguration(noRetries).build();
    // Bedrock's async client negotiates HTTP/2 with ALPN, which needs TLS; the mock speaks HTTP/1.1 over plain HTTP.
    async = BedrockRuntimeAsyncClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
        .credentialsProvider(credentials).overrideConfiguration(noRetries).build();
  }

  @AfterAll
  static void stop() {
    sync.close();
    async.close();
    server.close();
  }

  @BeforeEach
  void reset() {
    server.reset();
  }

  private static Message user(String text) {
    return Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText(text)).build();
  }

  @Test
  void converseFollowsTheFormulaAndIsSignedWithSigV4() {
    ConverseResponse r = sync.converse(b -> b.modelId("us.anthropic.claude-3-5-haiku-20241022-v1:0")
        .messages(user("Hello, Bedrock!")).inferenceConfig(c -> c.maxTokens(12)));

    // "Hello, Bedrock!" is 15 characters: ceil(15 / 4) = 4 input tokens; 12 output tokens, 48 characters.
    assertThat(r.usage().inputTokens()).isEqualTo(4);
    assertThat(r.usage().outputTokens()).isEqualTo(12);
    assertThat(r.usage().totalTokens()).isEqualTo(16);
    assertThat(r.usage().cacheReadInputTokens()).isNull();
    assertThat(r.output().message().content().get(0).text()).hasSize(48);
    assertThat(r.stopReasonAsString()).isEqualTo("end_turn");
    assertThat(r.responseMetadata().requestId()).hasSize(36);
    RecordedRequest request = server.lastRequest();
    assertThat(request.path()).isEqualTo("/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse");
    assertThat(MockBedrockServer.modelId(request)).contains("us.anthropic.claude-3-5-haiku-20241022-v1:0");
    assertThat(request.header("Authorization").orElseThrow())
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
        .contains("/us-east-1/bedrock/aws4_request");
  }

  @Test
  void scriptedCacheUsageReachesTheClientIncludingTtlDetails() {
    server.enqueue(BedrockReply.usage(BedrockUsage.cached(20, 300, 1500, 2000).withCacheWrite1h(500)));
    ConverseResponse r = sync.converse(b -> b.modelId("anthropic.claude-sonnet-4-5-20250929-v1:0")
        .messages(user("Q")));
    assertThat(r.usage().inputTokens()).isEqualTo(20);
    assertThat(r.usage().cacheReadInputTokens()).isEqualTo(1500);
    assertThat(r.usage().cacheWriteInputTokens()).isEqualTo(2000);
    assertThat(r.usage().totalTokens()).isEqualTo(20 + 1500 + 2000 + 300);
    assertThat(r.usage().cacheDetails()).hasSize(2);
    assertThat(r.usage().cacheDetails().get(0).ttl()).isEqualTo(CacheTTL.VALUE_1_H);
    assertThat(r.usage().cacheDetails().get(0).inputTokens()).isEqualTo(500);
    assertThat(r.usage().cacheDetails().get(1).ttl()).isEqualTo(CacheTTL.VALUE_5_M);
    assertThat(r.usage().cacheDetails().get(1).inputTokens()).isEqualTo(1500);
  }

  @Test
  void converseStreamIsAnAwsEventStreamEndingWithMetadata() {
    server.enqueue(BedrockReply.usage(BedrockUsage.of(11, 9)).withText("Streaming from the mock."));
    List<ConverseStreamOutput> events = new ArrayList<>();
    async.converseStream(b -> b.modelId("amazon.nova-lite-v1:0").messages(user("Stream")),
        ConverseStreamResponseHandler.builder().subscriber(events::add).build()).join();

    StringBuilder text = new StringBuilder();
    events.stream().filter(e -> e instanceof ContentBlockDeltaEvent)
        .forEach(e -> text.append(((ContentBlockDeltaEvent) e).delta().text()));
    assertThat(text).hasToString("Streaming from the mock.");
    assertThat(events.get(events.size() - 2)).isInstanceOf(MessageStopEvent.class);
    ConverseStreamMetadataEvent metadata = (ConverseStreamMetadataEvent) events.get(events.size() - 1);
    assertThat(metadata.usage().inputTokens()).isEqualTo(11);
    assertThat(metadata.usage().outputTokens()).isEqualTo(9);
    assertThat(metadata.metrics().latencyMs()).isPositive();
    assertThat(server.lastRequest().path()).endsWith("/converse-stream");
  }

  @Test
  void invokeModelSpeaksTheFamilyBodyAndSendsTokenHeaders() throws Exception {
    server.enqueue(BedrockReply.usage(BedrockUsage.cached(30, 40, 100, 7)));
    InvokeModelResponse r = sync.invokeModel(b -> b.modelId("anthropic.claude-3-haiku-20240307-v1:0")
        .contentType("application/json")
        .body(SdkBytes.fromUtf8String(
            "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":40,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")));
    JsonNode body = Json.MAPPER.readTree(r.body().asUtf8String());
    assertThat(body.path("type").asText()).isEqualTo("message");
    assertThat(body.path("model").asText()).isEqualTo("claude-3-haiku-20240307");
    assertThat(body.path("usage").path("input_tokens").asLong()).isEqualTo(30);
    assertThat(body.path("usage").path("cache_read_input_tokens").asLong()).isEqualTo(100);
    assertThat(body.path("usage").path("cache_creation_input_tokens").asLong()).isEqualTo(7);
    assertThat(r.sdkHttpResponse().firstMatchingHeader("X-Amzn-Bedrock-Input-Token-Count")).contains("30");
    assertThat(r.sdkHttpResponse().firstMatchingHeader("X-Amzn-Bedrock-Output-Token-Count")).contains("40");
    assertThat(r.sdkHttpResponse().firstMatchingHeader("X-Amzn-Bedrock-Cache-Read-Input-Token-Count"))
        .contains("100");
    assertThat(r.contentType()).isEqualTo("application/json");
  }

  @Test
  void embeddingsHaveNoOutputTokens() throws Exception {
    InvokeModelResponse r = sync.invokeModel(b -> b.modelId("amazon.titan-embed-text-v2:0")
        .body(SdkBytes.fromUtf8String("{\"inputText\":\"twelve chars\"}")));
    JsonNode body = Json.MAPPER.readTree(r.body().asUtf8String());
    assertThat(body.path("inputTextTokenCount").asLong()).isEqualTo(3);
    assertThat(body.path("embedding")).hasSize(16);
    assertThat(r.sdkHttpResponse().firstMatchingHeader("X-Amzn-Bedrock-Output-Token-Count")).contains("0");
  }

  @Test
  void invokeModelStreamWrapsNativeChunksAndEndsWithInvocationMetrics() throws Exception {
    server.enqueue(BedrockReply.usage(BedrockUsage.of(21, 5)).withText("Llama says hi"));
    List<String> chunks = new ArrayList<>();
    async.invokeModelWithResponseStream(
        b -> b.modelId("meta.llama3-1-70b-instruct-v1:0").body(SdkBytes.fromUtf8String("{\"prompt\":\"hi\"}")),
        InvokeModelWithResponseStreamResponseHandler.builder()
            .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                .onChunk((PayloadPart p) -> chunks.add(p.bytes().asString(StandardCharsets.UTF_8)))
                .build())
            .build()).join();
    assertThat(chunks).isNotEmpty();
    JsonNode last = Json.MAPPER.readTree(chunks.get(chunks.size() - 1));
    assertThat(last.path("stop_reason").asText()).isEqualTo("stop");
    assertThat(last.path("amazon-bedrock-invocationMetrics").path("inputTokenCount").asLong()).isEqualTo(21);
    assertThat(last.path("amazon-bedrock-invocationMetrics").path("outputTokenCount").asLong()).isEqualTo(5);
    assertThat(Json.MAPPER.readTree(chunks.get(0)).path("prompt_token_count").asLong()).isEqualTo(21);
  }

  @Test
  void errorsCarryTheAwsErrorTypeAndStatus() {
    server.enqueue(BedrockReply.throttling());
    assertThatThrownBy(() -> sync.converse(b -> b.modelId("amazon.nova-pro-v1:0").messages(user("x"))))
        .isInstanceOfSatisfying(ThrottlingException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(429);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
          assertThat(e.awsErrorDetails().errorMessage()).startsWith("Too many requests");
        });
    assertThatThrownBy(() -> sync.converse(b -> b.modelId("amazon.nova-pro-v1:0")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
  }

  @Test
  void aStreamExceptionEventFailsTheStream() {
    server.enqueue(BedrockReply.streamError(3));
    List<ResponseStream> events = new ArrayList<>();
    assertThatThrownBy(() -> async.invokeModelWithResponseStream(
        b -> b.modelId("anthropic.claude-3-haiku-20240307-v1:0").body(SdkBytes.fromUtf8String("{}")),
        InvokeModelWithResponseStreamResponseHandler.builder().subscriber(events::add).build()).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(ModelStreamErrorException.class);
    assertThat(events).hasSize(3);
  }

  @Test
  void aCutStreamEndsBeforeTheMetadataEvent() {
    server.enqueue(BedrockReply.cutStream(2));
    List<ConverseStreamOutput> events = new ArrayList<>();
    try {
      async.converseStream(b -> b.modelId("amazon.nova-lite-v1:0").messages(user("x")),
          ConverseStreamResponseHandler.builder().subscriber(events::add).build()).join();
    } catch (CompletionException expectedOnSomeVersions) {
      // The SDK reports a connection closed mid-stream either as an error or, with HTTP/1.1 chunked responses, as
      // the stream's end: both are what a client of the real service may see.
    }
    assertThat(events).hasSize(2);
    assertThat(events).noneMatch(e -> e instanceof ConverseStreamMetadataEvent);
  }

  @Test
  void anUnsignedRequestIsRefused() throws Exception {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(server.endpoint().resolve("/model/amazon.nova-lite-v1%3A0/converse"))
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValueSatisfying(
        v -> assertThat(v).startsWith("MissingAuthenticationTokenException:"));
  }
}
