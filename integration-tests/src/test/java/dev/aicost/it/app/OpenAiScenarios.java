package dev.aicost.it.app;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.embeddings.EmbeddingModel;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.aicost.bootstrap.AiCallHandle;
import dev.aicost.bootstrap.AiCallSink;
import dev.aicost.sdk.AiCost;
import dev.aicost.sdk.AiCostScope;
import dev.aicost.sdk.CostCenter;
import java.lang.reflect.Proxy;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * An application using openai-java, run in a forked JVM with the agent attached. Each scenario prints what the
 * application saw as {@code RESULT key=value} lines, so tests can check that metering changed nothing.
 *
 * <p>Usage: {@code OpenAiScenarios <scenario> <baseUrl>}
 */
public final class OpenAiScenarios {

  private final OpenAIClient client;

  private OpenAiScenarios(String baseUrl, int maxRetries) {
    this.client = OpenAIOkHttpClient.builder().apiKey("sk-test-secret-key").baseUrl(baseUrl).maxRetries(maxRetries).build();
  }

  public static void main(String[] args) throws Exception {
    String scenario = args[0];
    int retries = scenario.startsWith("retry") ? 2 : 0;
    OpenAiScenarios app = new OpenAiScenarios(args[1], retries);
    try {
      app.run(scenario);
    } finally {
      app.client.close();
    }
    System.out.println("RESULT done=" + scenario);
  }

  static ChatCompletionCreateParams chatParams(String model, String prompt) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(prompt).maxCompletionTokens(50).build();
  }

  static ChatCompletionCreateParams streamParams(boolean includeUsage) {
    ChatCompletionCreateParams.Builder b =
        ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O_MINI).addUserMessage("Stream me a haiku").maxCompletionTokens(30);
    if (includeUsage) {
      b.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
    }
    return b.build();
  }

  private void run(String scenario) throws Exception {
    switch (scenario) {
      case "chat-sync":
        printChat(client.chat().completions().create(chatParams("gpt-4o", "What is the capital of France?")));
        break;
      case "chat-async":
        printChat(client.async().chat().completions().create(chatParams("gpt-4o", "Async question")).join());
        break;
      case "chat-stream-usage":
        consume(client.chat().completions().createStreaming(streamParams(true)));
        break;
      case "chat-stream-no-usage":
        consume(client.chat().completions().createStreaming(streamParams(false)));
        break;
      case "chat-async-stream-usage":
        asyncStream(streamParams(true));
        break;
      case "chat-stream-early-close":
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(streamParams(true))) {
          Iterator<ChatCompletionChunk> it = s.stream().iterator();
          System.out.println("RESULT first_chunk_id=" + it.next().id());
        }
        break;
      case "chat-raw":
        try (HttpResponseFor<ChatCompletion> raw =
            client.chat().completions().withRawResponse().create(chatParams("gpt-4o", "Raw please"))) {
          System.out.println("RESULT status=" + raw.statusCode());
          printChat(raw.parse());
        }
        break;
      case "chat-error":
      case "chat-cut-stream":
        try {
          if (scenario.equals("chat-error")) {
            client.chat().completions().create(chatParams("gpt-4o", "This will fail"));
          } else {
            consume(client.chat().completions().createStreaming(streamParams(true)));
          }
          System.out.println("RESULT error=none");
        } catch (RuntimeException e) {
          System.out.println("RESULT error=" + e.getClass().getName());
        }
        break;
      case "retry-chat":
        printChat(client.chat().completions().create(chatParams("gpt-4o", "Retry me")));
        break;
      case "responses-sync":
        printResponse(client.responses().create(responsesParams()));
        break;
      case "responses-stream":
        try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(responsesParams())) {
          AtomicInteger events = new AtomicInteger();
          AtomicReference<Response> done = new AtomicReference<>();
          s.stream().forEach(e -> {
            events.incrementAndGet();
            e.completed().ifPresent(c -> done.set(c.response()));
          });
          System.out.println("RESULT events=" + events.get());
          printResponse(done.get());
        }
        break;
      case "embeddings":
        CreateEmbeddingResponse emb =
            client.embeddings()
                .create(
                    EmbeddingCreateParams.builder()
                        .model(EmbeddingModel.TEXT_EMBEDDING_3_SMALL)
                        .input("The quick brown fox jumps over the lazy dog")
                        .build());
        System.out.println("RESULT vectors=" + emb.data().size() + " dims=" + emb.data().get(0).embedding().size());
        System.out.println("RESULT prompt_tokens=" + emb.usage().promptTokens());
        break;
      case "cost-center":
        new Support().answerTicket();
        new Billing().invoice();
        try (AiCostScope scope = AiCost.attribute().team("platform").feature("batch-jobs").customer("acme").open()) {
          client.chat().completions().create(chatParams("gpt-4o-mini", "Programmatic scope"));
        }
        System.out.println("RESULT scope_after=" + AiCost.currentAttribution().isEmpty());
        break;
      case "throwing-sink":
        throwingSink();
        break;
      case "idle-between-calls":
        idleBetweenCalls();
        break;
      default:
        throw new IllegalArgumentException("unknown scenario " + scenario);
    }
  }

  /**
   * One call, a second of nothing, another call: how aicost's background threads wait while the application is idle
   * (their thread states, sampled every 50 ms), and that the call after the quiet spell is still recorded.
   */
  private void idleBetweenCalls() throws InterruptedException {
    client.chat().completions().create(chatParams("gpt-4o", "before the quiet spell"));
    Thread.sleep(500); // the recorder and the ledger writer complete the call and linger once
    Map<String, Set<Thread.State>> states = new TreeMap<>();
    for (int i = 0; i < 20; i++) {
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().startsWith("aicost-recorder") || t.getName().startsWith("aicost-ledger-writer")) {
          states.computeIfAbsent(t.getName(), k -> EnumSet.noneOf(Thread.State.class)).add(t.getState());
        }
      }
      Thread.sleep(50);
    }
    states.forEach((name, seen) -> System.out.println("RESULT idle_states." + name + "=" + seen));
    client.chat().completions().create(chatParams("gpt-4o", "after the quiet spell"));
  }

  private static ResponseCreateParams responsesParams() {
    return ResponseCreateParams.builder().model(ChatModel.GPT_4O).input("Tell me about the Responses API").build();
  }

  private static void printChat(ChatCompletion c) {
    System.out.println("RESULT id=" + c.id());
    System.out.println("RESULT model=" + c.model());
    System.out.println("RESULT content=" + c.choices().get(0).message().content().orElse(""));
    c.usage().ifPresent(u -> System.out.println("RESULT prompt_tokens=" + u.promptTokens() + " completion_tokens=" + u.completionTokens()));
  }

  private static void printResponse(Response r) {
    System.out.println("RESULT id=" + r.id());
    r.usage().ifPresent(u -> System.out.println("RESULT input_tokens=" + u.inputTokens() + " output_tokens=" + u.outputTokens()));
  }

  private static void consume(StreamResponse<ChatCompletionChunk> stream) {
    try (StreamResponse<ChatCompletionChunk> s = stream) {
      String text =
          s.stream()
              .flatMap(c -> c.choices().stream())
              .map(ch -> ch.delta().content().orElse(""))
              .collect(Collectors.joining());
      System.out.println("RESULT text=" + text);
    }
  }

  private void asyncStream(ChatCompletionCreateParams params) {
    StringBuilder text = new StringBuilder();
    AsyncStreamResponse<ChatCompletionChunk> s = client.async().chat().completions().createStreaming(params);
    s.subscribe(chunk -> chunk.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)))
        .onCompleteFuture()
        .join();
    System.out.println("RESULT text=" + text);
  }

  /** Replaces the recorder with one that throws everywhere: the application must see exactly the same results. */
  private void throwingSink() {
    // A first call waits for the agent's recording pipeline, which would otherwise replace our sink when ready.
    client.chat().completions().create(chatParams("gpt-4o", "warm up"));
    AiCallHandle throwingHandle =
        (AiCallHandle)
            Proxy.newProxyInstance(
                OpenAiScenarios.class.getClassLoader(),
                new Class<?>[] {AiCallHandle.class},
                (proxy, method, args) -> {
                  throw new IllegalStateException("instrumentation failure injected by the test: " + method.getName());
                });
    AtomicInteger starts = new AtomicInteger();
    AiCallSink throwingSink = start -> {
      if (starts.incrementAndGet() % 2 == 0) {
        throw new IllegalStateException("instrumentation failure injected by the test: start");
      }
      return throwingHandle;
    };
    AiCost.install(throwingSink);
    for (int i = 0; i < 2; i++) { // once with a throwing start, once with a throwing handle
      printChat(client.chat().completions().create(chatParams("gpt-4o", "Still works?")));
      consume(client.chat().completions().createStreaming(streamParams(true)));
      printChat(client.async().chat().completions().create(chatParams("gpt-4o", "Async still works?")).join());
      printResponse(client.responses().create(responsesParams()));
    }
    System.out.println("RESULT injected_failures=" + starts.get());
  }

  /** A support agent: all spend inside is the support team's. */
  @CostCenter(team = "support", agent = "ticket-bot")
  final class Support {
    @CostCenter(feature = "answer-ticket", task = "answer-ticket", attributes = {"tenant=acme"})
    void answerTicket() {
      client.chat().completions().create(chatParams("gpt-4o", "How do I reset my password?"));
      classify();
    }

    @CostCenter(feature = "classify")
    void classify() {
      client.chat().completions().create(chatParams("gpt-4o-mini", "Classify this ticket"));
    }
  }

  final class Billing {
    @CostCenter(team = "billing", feature = "invoice", experiment = "exp-42")
    void invoice() {
      client.embeddings()
          .create(EmbeddingCreateParams.builder().model("text-embedding-3-small").input("invoice 42").build());
    }
  }
}
