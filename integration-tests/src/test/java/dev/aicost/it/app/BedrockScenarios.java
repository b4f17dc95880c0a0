package dev.aicost.it.app;

import dev.aicost.sdk.AiCost;
import dev.aicost.sdk.AiCostScope;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.core.retry.backoff.BackoffStrategy;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;

/**
 * An application using the AWS SDK v2 Bedrock Runtime clients, run in a forked JVM with the agent attached, against
 * the mock Bedrock server. Each scenario prints what the application saw as {@code RESULT key=value} lines.
 *
 * <p>Usage: {@code BedrockScenarios <scenario> <endpoint> [modelId]}
 */
public final class BedrockScenarios {

  /** The prompt of every scenario: it must never appear in telemetry. */
  static final String PROMPT = "What is the capital of Portugal?";

  static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";

  private final BedrockRuntimeClient sync;
  private final BedrockRuntimeAsyncClient async;
  private final String model;

  private BedrockScenarios(URI endpoint, String model, boolean retries) {
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", SECRET_KEY));
    RetryPolicy policy =
        retries
            ? RetryPolicy.builder().numRetries(2).backoffStrategy(BackoffStrategy.none())
                .throttlingBackoffStrategy(BackoffStrategy.none()).build()
            : RetryPolicy.none();
    ClientOverrideConfiguration override = ClientOverrideConfiguration.builder().retryPolicy(policy).build();
    this.sync = BedrockRuntimeClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(credentials).overrideConfiguration(override).build();
    // Bedrock's async client negotiates HTTP/2 with ALPN, which needs TLS; the mock speaks HTTP/1.1.
    this.async = BedrockRuntimeAsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(credentials).overrideConfiguration(override)
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)).build();
    this.model = model;
  }

  public static void main(String[] args) throws Exception {
    String scenario = args[0];
    String model = args.length > 2 ? args[2] : "anthropic.claude-3-haiku-20240307-v1:0";
    BedrockScenarios app = new BedrockScenarios(URI.create(args[1]), model, scenario.startsWith("retry"));
    try {
      app.run(scenario);
    } finally {
      app.sync.close();
      app.async.close();
    }
    System.out.println("RESULT done=" + scenario);
  }

  private ConverseRequest converseRequest() {
    return ConverseRequest.builder().modelId(model).messages(user(PROMPT))
        .inferenceConfig(c -> c.maxTokens(100)).build();
  }

  private ConverseStreamRequest converseStreamRequest() {
    return ConverseStreamRequest.builder().modelId(model).messages(user(PROMPT))
        .inferenceConfig(c -> c.maxTokens(100)).build();
  }

  private static Message user(String text) {
    return Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText(text)).build();
  }

  /** The native InvokeModel body of the model's family. */
  static String invokeBody(String model) {
    String base = model.replaceFirst("^arn:[^/]*/", "").replaceFirst("^(us|eu|apac|global)\\.", "");
    if (base.startsWith("anthropic.")) {
      return "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":100,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
    }
    if (base.startsWith("amazon.nova")) {
      return "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"" + PROMPT + "\"}]}],"
          + "\"inferenceConfig\":{\"maxTokens\":100}}";
    }
    if (base.startsWith("amazon.titan-embed")) {
      return "{\"inputText\":\"" + PROMPT + "\"}";
    }
    if (base.startsWith("amazon.titan")) {
      return "{\"inputText\":\"" + PROMPT + "\",\"textGenerationConfig\":{\"maxTokenCount\":100}}";
    }
    if (base.startsWith("meta.")) {
      return "{\"prompt\":\"" + PROMPT + "\",\"max_gen_len\":100}";
    }
    if (base.startsWith("cohere.embed")) {
      return "{\"texts\":[\"" + PROMPT + "\"],\"input_type\":\"search_document\"}";
    }
    if (base.startsWith("cohere.")) {
      return "{\"message\":\"" + PROMPT + "\",\"max_tokens\":100}";
    }
    return "{\"prompt\":\"" + PROMPT + "\",\"max_tokens\":100}";
  }

  private static InvokeModelRequest invokeRequest(String model) {
    return InvokeModelRequest.builder().modelId(model).contentType("application/json").accept("application/json")
        .body(SdkBytes.fromUtf8String(invokeBody(model))).build();
  }

  private InvokeModelWithResponseStreamRequest invokeStreamRequest() {
    return InvokeModelWithResponseStreamRequest.builder().modelId(model).contentType("application/json")
        .body(SdkBytes.fromUtf8String(invokeBody(model))).build();
  }

  private void run(String scenario) throws Exception {
    switch (scenario) {
      case "converse":
      case "retry-converse":
        printConverse(sync.converse(converseRequest()));
        break;
      case "converse-async":
        printConverse(async.converse(converseRequest()).join());
        break;
      case "converse-error":
        try {
          sync.converse(converseRequest());
          System.out.println("RESULT error=none");
        } catch (RuntimeException e) {
          System.out.println("RESULT error=" + e.getClass().getName());
        }
        break;
      case "converse-async-cancel":
        CompletableFuture<ConverseResponse> future = async.converse(converseRequest());
        Thread.sleep(200);
        System.out.println("RESULT cancelled=" + future.cancel(true));
        try {
          future.join();
        } catch (CancellationException expected) {
          System.out.println("RESULT join=cancelled");
        }
        Thread.sleep(500); // let the SDK finish its side of the cancellation
        break;
      case "converse-stream":
        converseStream();
        break;
      case "converse-stream-error":
        try {
          converseStream();
          System.out.println("RESULT error=none");
        } catch (CompletionException e) {
          System.out.println("RESULT error=" + e.getCause().getClass().getName());
        }
        break;
      case "converse-stream-cancel":
        converseStreamCancelledAfterFirstEvent();
        break;
      case "invoke":
        for (String m : model.split(",")) { // one call per model, in order
          printInvoke(sync.invokeModel(invokeRequest(m)));
        }
        break;
      case "invoke-async":
        printInvoke(async.invokeModel(invokeRequest(model)).join());
        break;
      case "invoke-stream":
        invokeStream();
        break;
      case "invoke-stream-error":
        try {
          invokeStream();
          System.out.println("RESULT error=none");
        } catch (CompletionException e) {
          System.out.println("RESULT error=" + e.getCause().getClass().getName());
        }
        break;
      case "attributed":
        try (AiCostScope scope = AiCost.attribute().team("finance").feature("invoice-summary").open()) {
          printConverse(sync.converse(converseRequest()));
        }
        break;
      default:
        throw new IllegalArgumentException("unknown scenario " + scenario);
    }
  }

  private static void printConverse(ConverseResponse r) {
    System.out.println("RESULT request_id=" + r.responseMetadata().requestId());
    System.out.println("RESULT stop_reason=" + r.stopReasonAsString());
    System.out.println("RESULT input_tokens=" + r.usage().inputTokens() + " output_tokens=" + r.usage().outputTokens());
    System.out.println("RESULT text=" + r.output().message().content().get(0).text());
  }

  private static void printInvoke(InvokeModelResponse r) {
    System.out.println("RESULT request_id=" + r.responseMetadata().requestId());
    System.out.println("RESULT body_length=" + r.body().asByteArray().length);
    System.out.println("RESULT body=" + r.body().asUtf8String().replace('\n', ' '));
  }

  private void converseStream() {
    StringBuilder text = new StringBuilder();
    List<String> types = new CopyOnWriteArrayList<>();
    async.converseStream(converseStreamRequest(),
        ConverseStreamResponseHandler.builder()
            .subscriber(event -> {
              types.add(event.sdkEventType().toString());
              if (event instanceof ContentBlockDeltaEvent) {
                text.append(((ContentBlockDeltaEvent) event).delta().text());
              }
            })
            .build()).join();
    System.out.println("RESULT events=" + types.size() + " last=" + types.get(types.size() - 1));
    System.out.println("RESULT text=" + text);
  }

  private void invokeStream() {
    List<String> chunks = new CopyOnWriteArrayList<>();
    async.invokeModelWithResponseStream(invokeStreamRequest(),
        InvokeModelWithResponseStreamResponseHandler.builder()
            .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                .onChunk((PayloadPart p) -> chunks.add(p.bytes().asUtf8String()))
                .build())
            .build()).join();
    System.out.println("RESULT chunks=" + chunks.size());
    System.out.println("RESULT last_chunk=" + chunks.get(chunks.size() - 1));
  }

  /** Reads one event, then cancels the subscription: the stream is abandoned half-way. */
  private void converseStreamCancelledAfterFirstEvent() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    List<ConverseStreamOutput> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> f = async.converseStream(converseStreamRequest(),
        ConverseStreamResponseHandler.builder()
            .onEventStream(publisher -> publisher.subscribe(new Subscriber<ConverseStreamOutput>() {
              private Subscription subscription;

              @Override
              public void onSubscribe(Subscription s) {
                subscription = s;
                s.request(1);
              }

              @Override
              public void onNext(ConverseStreamOutput event) {
                seen.add(event);
                subscription.cancel();
                done.countDown();
              }

              @Override
              public void onError(Throwable t) {
                done.countDown();
              }

              @Override
              public void onComplete() {
                done.countDown();
              }
            }))
            .build());
    done.await(10, TimeUnit.SECONDS);
    System.out.println("RESULT seen=" + seen.size() + " first=" + seen.get(0).sdkEventType());
    try {
      f.get(5, TimeUnit.SECONDS);
      System.out.println("RESULT future=completed");
    } catch (Exception e) {
      System.out.println("RESULT future=" + e.getClass().getSimpleName());
    }
  }
}
