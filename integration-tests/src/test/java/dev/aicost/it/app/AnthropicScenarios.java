package dev.aicost.it.app;

import com.anthropic.bedrock.backends.BedrockBackend;
import com.anthropic.backends.Backend;
import com.anthropic.client.AnthropicClient;
import com.anthropic.client.AnthropicClientImpl;
import com.anthropic.client.okhttp.OkHttpClient;
import com.anthropic.core.ClientOptions;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.AsyncStreamResponse;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.beta.messages.BetaMessage;
import com.anthropic.models.beta.messages.BetaRawMessageStreamEvent;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.vertex.backends.VertexBackend;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.aicost.sdk.AiCost;
import dev.aicost.sdk.AiCostScope;
import java.time.Instant;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;

/**
 * An application using anthropic-java (directly, through Amazon Bedrock and through Google Vertex AI), run in a
 * forked JVM with the agent attached. Each scenario prints what the application saw as {@code RESULT key=value}.
 *
 * <p>Usage: {@code AnthropicScenarios <scenario> <baseUrl>}; scenarios starting with {@code bedrock-} or
 * {@code vertex-} use that backend pointed at the same mock server.
 */
public final class AnthropicScenarios {

  static final String API_KEY = "sk-ant-test-secret-key";
  static final String PROMPT = "Summarize the plot of Hamlet in one line";
  static final String SYSTEM = "You are a terse literary assistant. ".repeat(120);

  private final AnthropicClient client;

  private AnthropicScenarios(String scenario, String baseUrl) {
    int retries = scenario.startsWith("retry") ? 2 : 0;
    Backend backend = null;
    if (scenario.startsWith("bedrock-")) {
      BedrockBackend.Builder b = BedrockBackend.builder()
          .awsCredentials(AwsBasicCredentials.create("AKIDAICOSTTEST", "aicost-test-aws-secret"))
          .region(Region.US_WEST_2);
      backend = pointAt(b, baseUrl) ? b.build() : null;
      this.client = backend != null ? withBackend(backend, retries) : manual(b.build(), baseUrl, retries);
    } else if (scenario.startsWith("vertex-")) {
      VertexBackend.Builder b = VertexBackend.builder()
          .googleCredentials(GoogleCredentials.create(
              new AccessToken("ya29.aicost-test-token", Date.from(Instant.now().plusSeconds(3600)))))
          .region("us-east5")
          .project("aicost-it");
      backend = pointAt(b, baseUrl) ? b.build() : null;
      this.client = backend != null ? withBackend(backend, retries) : manual(b.build(), baseUrl, retries);
    } else {
      this.client = AnthropicOkHttpClient.builder().maxRetries(retries).baseUrl(baseUrl).apiKey(API_KEY).build();
    }
  }

  /** {@code Builder.baseUrl(url)} where the backend has it (Bedrock 3.11+, Vertex 2.60+), as an application would. */
  private static boolean pointAt(Object backendBuilder, String baseUrl) {
    try {
      backendBuilder.getClass().getMethod("baseUrl", String.class).invoke(backendBuilder, baseUrl);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static AnthropicClient withBackend(Backend backend, int retries) {
    return AnthropicOkHttpClient.builder().backend(backend).maxRetries(retries).build();
  }

  /**
   * Older backends cannot be pointed elsewhere: the client is assembled from its parts, with the request base URL in
   * the client options (which the SDK's HTTP client prefers to the backend's).
   */
  private static AnthropicClient manual(Backend backend, String baseUrl, int retries) {
    return new AnthropicClientImpl(ClientOptions.builder()
        .httpClient(OkHttpClient.builder().backend(backend).build())
        .baseUrl(baseUrl)
        .maxRetries(retries)
        .build());
  }

  public static void main(String[] args) throws Exception {
    AnthropicScenarios app = new AnthropicScenarios(args[0], args[1]);
    try {
      app.run(args[0]);
    } finally {
      app.client.close();
    }
    System.out.println("RESULT done=" + args[0]);
  }

  static MessageCreateParams params(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(512).addUserMessage(PROMPT).build();
  }

  static MessageCreateParams cachedParams(String model) {
    return MessageCreateParams.builder()
        .model(model)
        .maxTokens(512)
        .systemOfTextBlockParams(List.of(TextBlockParam.builder()
            .text(SYSTEM)
            .cacheControl(CacheControlEphemeral.builder().build())
            .build()))
        .addUserMessage(PROMPT)
        .build();
  }

  private void run(String scenario) throws Exception {
    switch (scenario) {
      case "messages-sync":
      case "retry-messages":
        print(client.messages().create(params("claude-sonnet-4-5")));
        break;
      case "messages-cached-twice":
        try (AiCostScope scope = AiCost.attribute().team("support").feature("ticket-summary").open()) {
          print(client.messages().create(cachedParams("claude-sonnet-4-5")));
          print(client.messages().create(cachedParams("claude-sonnet-4-5")));
        }
        break;
      case "messages-async":
        print(client.async().messages().create(params("claude-sonnet-4-5")).join());
        break;
      case "messages-stream":
        consume(client.messages().createStreaming(params("claude-haiku-4-5")));
        break;
      case "messages-async-stream":
        consumeAsync(client.async().messages().createStreaming(params("claude-haiku-4-5")));
        break;
      case "messages-stream-early-close":
        try (StreamResponse<RawMessageStreamEvent> s =
            client.messages().createStreaming(params("claude-haiku-4-5"))) {
          Iterator<RawMessageStreamEvent> it = s.stream().iterator();
          RawMessageStreamEvent first = it.next();
          System.out.println("RESULT first_event_is_start=" + first.messageStart().isPresent());
        }
        break;
      case "messages-error":
        try {
          client.messages().create(params("claude-sonnet-4-5"));
          System.out.println("RESULT error=none");
        } catch (RuntimeException e) {
          System.out.println("RESULT error=" + e.getClass().getName());
        }
        break;
      case "messages-stream-error":
        try {
          consume(client.messages().createStreaming(params("claude-haiku-4-5")));
          System.out.println("RESULT error=none");
        } catch (RuntimeException e) {
          System.out.println("RESULT error=" + e.getClass().getName());
        }
        break;
      case "messages-async-cancel":
        CompletableFuture<Message> f = client.async().messages().create(params("claude-sonnet-4-5"));
        System.out.println("RESULT cancelled=" + f.cancel(true));
        Thread.sleep(500);
        break;
      case "messages-raw":
        try (HttpResponseFor<Message> raw = client.messages().withRawResponse().create(params("claude-sonnet-4-5"))) {
          System.out.println("RESULT status=" + raw.statusCode());
          print(raw.parse());
        }
        break;
      case "beta-messages-sync":
        BetaMessage beta = client.beta().messages().create(
            com.anthropic.models.beta.messages.MessageCreateParams.builder()
                .model("claude-sonnet-4-5").maxTokens(512).addUserMessage(PROMPT)
                .addBeta("context-1m-2025-08-07").build());
        System.out.println("RESULT id=" + beta.id() + " model=" + beta.model().asString()
            + " input_tokens=" + beta.usage().inputTokens());
        break;
      case "beta-messages-stream":
        AtomicInteger events = new AtomicInteger();
        try (StreamResponse<BetaRawMessageStreamEvent> s = client.beta().messages().createStreaming(
            com.anthropic.models.beta.messages.MessageCreateParams.builder()
                .model("claude-haiku-4-5").maxTokens(512).addUserMessage(PROMPT).build())) {
          s.stream().forEach(e -> events.incrementAndGet());
        }
        System.out.println("RESULT events=" + events.get());
        break;
      case "count-tokens":
        long tokens = client.messages().countTokens(MessageCountTokensParams.builder()
            .model("claude-sonnet-4-5").addUserMessage(PROMPT).build()).inputTokens();
        System.out.println("RESULT input_tokens=" + tokens);
        break;
      case "bedrock-sync":
        print(client.messages().create(params("us.anthropic.claude-sonnet-4-5-20250929-v1:0")));
        break;
      case "bedrock-stream":
        consume(client.messages().createStreaming(params("anthropic.claude-3-5-haiku-20241022-v1:0")));
        break;
      case "bedrock-stream-error":
        try {
          consume(client.messages().createStreaming(params("anthropic.claude-3-5-haiku-20241022-v1:0")));
          System.out.println("RESULT error=none");
        } catch (RuntimeException e) {
          System.out.println("RESULT error=" + e.getClass().getName());
        }
        break;
      case "vertex-sync":
        print(client.messages().create(params("claude-sonnet-4-5@20250929")));
        break;
      case "vertex-stream":
        consume(client.messages().createStreaming(params("claude-sonnet-4-5@20250929")));
        break;
      default:
        throw new IllegalArgumentException("unknown scenario " + scenario);
    }
  }

  private static void print(Message m) {
    System.out.println("RESULT id=" + m.id() + " model=" + m.model().asString()
        + " input_tokens=" + m.usage().inputTokens() + " output_tokens=" + m.usage().outputTokens()
        + " text=" + m.content().get(0).text().map(t -> t.text()).orElse(""));
  }

  private static void consume(StreamResponse<RawMessageStreamEvent> stream) {
    StringBuilder text = new StringBuilder();
    try (StreamResponse<RawMessageStreamEvent> s = stream) {
      s.stream().forEach(e -> e.contentBlockDelta()
          .flatMap(d -> d.delta().text())
          .ifPresent(t -> text.append(t.text())));
    }
    System.out.println("RESULT text=" + text);
  }

  private static void consumeAsync(AsyncStreamResponse<RawMessageStreamEvent> stream) {
    StringBuilder text = new StringBuilder();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    stream.subscribe(new AsyncStreamResponse.Handler<RawMessageStreamEvent>() {
      @Override
      public void onNext(RawMessageStreamEvent e) {
        e.contentBlockDelta().flatMap(d -> d.delta().text()).ifPresent(t -> text.append(t.text()));
      }

      @Override
      public void onComplete(java.util.Optional<Throwable> error) {
        error.ifPresent(failure::set);
      }
    });
    stream.onCompleteFuture().join();
    System.out.println("RESULT text=" + text + " failed=" + (failure.get() != null));
  }
}
