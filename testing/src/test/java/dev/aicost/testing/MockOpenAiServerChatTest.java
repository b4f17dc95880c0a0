package dev.aicost.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Chat Completions against the real openai-java client, with strict response validation. */
@SuppressWarnings("deprecation") // gpt-4o & co. are deprecated constants in openai-java 4.101, still valid names
class MockOpenAiServerChatTest {

  private static MockOpenAiServer server;
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    server = MockOpenAiServer.start();
    client = OpenAiClients.strict(server);
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @BeforeEach
  void reset() {
    server.reset();
  }

  private static ChatCompletionCreateParams.Builder hello(ChatModel model) {
    // system: 7 + ceil(14/4)=4 -> 11; user: 7 + ceil(6/4)=2 -> 9; total 20 prompt tokens
    return ChatCompletionCreateParams.builder()
        .model(model)
        .addSystemMessage("You are terse.")
        .addUserMessage("Hello!");
  }

  @Test
  void syncCompletionHasOpenAiShapeAndFormulaUsage() {
    ChatCompletion completion = client.chat().completions().create(hello(ChatModel.GPT_4O).build());
    completion.validate();

    assertThat(completion.id()).startsWith("chatcmpl-").hasSize("chatcmpl-".length() + 29);
    assertThat(completion.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(completion.created()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
    assertThat((Object) completion._object_()).isEqualTo(com.openai.core.JsonValue.from("chat.completion"));
    assertThat(completion.serviceTier()).hasValueSatisfying(t -> assertThat(t.asString()).isEqualTo("default"));
    assertThat(completion.systemFingerprint()).hasValueSatisfying(fp -> assertThat(fp).matches("fp_[0-9a-f]{10}"));
    assertThat(completion.choices()).hasSize(1);
    ChatCompletion.Choice choice = completion.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(choice.message().content()).hasValueSatisfying(text -> assertThat(text).hasSize(64 * 4));

    CompletionUsage usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(20);
    assertThat(usage.completionTokens()).isEqualTo(UsageFormula.DEFAULT_COMPLETION_TOKENS);
    assertThat(usage.totalTokens()).isEqualTo(20 + 64);
    assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(0L);
    assertThat(usage.promptTokensDetails().orElseThrow().audioTokens()).contains(0L);
    // a short prompt writes nothing to the cache, and chat omits the zero like OpenAI omits optional details
    assertThat(usage.promptTokensDetails().orElseThrow().cacheWriteTokens()).isEmpty();
    CompletionUsage.CompletionTokensDetails details = usage.completionTokensDetails().orElseThrow();
    assertThat(details.reasoningTokens()).contains(0L);
    assertThat(details.audioTokens()).contains(0L);
    assertThat(details.acceptedPredictionTokens()).contains(0L);
    assertThat(details.rejectedPredictionTokens()).contains(0L);
    assertThat(UsageFormula.chatPromptTokens(server.lastRequest().json())).isEqualTo(20);
  }

  @Test
  void recordsWhatTheClientSent() {
    client.chat().completions().create(hello(ChatModel.GPT_4O_MINI).maxCompletionTokens(5).build());

    RecordedRequest request = server.lastRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/chat/completions");
    assertThat(request.header("authorization")).contains("Bearer " + OpenAiClients.API_KEY);
    assertThat(request.header("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
    assertThat(request.header("x-stainless-lang")).contains("java");
    assertThat(request.model()).contains("gpt-4o-mini");
    assertThat(request.json().path("messages").size()).isEqualTo(2);
    assertThat(request.json().path("max_completion_tokens").asInt()).isEqualTo(5);
    assertThat(request.isStream()).isFalse();
    // the key travels only in the Authorization header
    request.headers().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("authorization")) {
        assertThat(values).noneMatch(v -> v.contains(OpenAiClients.API_KEY));
      }
    });
    assertThat(request.body()).doesNotContain(OpenAiClients.API_KEY);
  }

  @Test
  void completionTokensFollowTheRequestLimitAndModelSnapshot() {
    ChatCompletion completion =
        client.chat().completions().create(hello(ChatModel.GPT_4O_MINI).maxCompletionTokens(10).build());

    assertThat(completion.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(10);
    assertThat(completion.choices().get(0).message().content().orElseThrow()).hasSize(40);

    ChatCompletion legacy = client.chat().completions().create(hello(ChatModel.of("my-fine-tune")).maxTokens(7).build());
    assertThat(legacy.model()).isEqualTo("my-fine-tune");
    assertThat(legacy.usage().orElseThrow().completionTokens()).isEqualTo(7);
  }

  @Test
  void reasoningModelsReportReasoningTokens() {
    ChatCompletion completion =
        client.chat().completions().create(hello(ChatModel.O3_MINI).maxCompletionTokens(100).build());

    CompletionUsage usage = completion.usage().orElseThrow();
    assertThat(completion.model()).isEqualTo("o3-mini-2025-01-31");
    assertThat(usage.completionTokens()).isEqualTo(100);
    assertThat(usage.completionTokensDetails().orElseThrow().reasoningTokens()).contains(75L);
    assertThat(completion.choices().get(0).message().content().orElseThrow()).hasSize(25 * 4);
  }

  @Test
  void serviceTierIsEchoedLikeOpenAi() {
    assertThat(client.chat().completions()
            .create(hello(ChatModel.GPT_4O).serviceTier(ChatCompletionCreateParams.ServiceTier.AUTO).build())
            .serviceTier().orElseThrow().asString())
        .isEqualTo("default");
    assertThat(client.chat().completions()
            .create(hello(ChatModel.GPT_4O).serviceTier(ChatCompletionCreateParams.ServiceTier.FLEX).build())
            .serviceTier().orElseThrow().asString())
        .isEqualTo("flex");
    assertThat(client.chat().completions()
            .create(hello(ChatModel.GPT_4O).serviceTier(ChatCompletionCreateParams.ServiceTier.PRIORITY).build())
            .serviceTier().orElseThrow().asString())
        .isEqualTo("priority");
  }

  @Test
  void scriptedUsageIsReportedVerbatim() {
    TokenUsage fixed = TokenUsage.builder()
        .promptTokens(1200)
        .cachedTokens(1024)
        .cacheWriteTokens(128)
        .promptAudioTokens(3)
        .completionTokens(300)
        .reasoningTokens(200)
        .completionAudioTokens(4)
        .acceptedPredictionTokens(5)
        .rejectedPredictionTokens(6)
        .build();
    server.enqueue(MockReply.usage(fixed).withContent("Fixed."));

    ChatCompletion completion = client.chat().completions().create(hello(ChatModel.GPT_4O).build());

    CompletionUsage usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(1200);
    assertThat(usage.completionTokens()).isEqualTo(300);
    assertThat(usage.totalTokens()).isEqualTo(1500);
    assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(1024L);
    assertThat(usage.promptTokensDetails().orElseThrow().audioTokens()).contains(3L);
    assertThat(usage.promptTokensDetails().orElseThrow().cacheWriteTokens()).contains(128L);
    CompletionUsage.CompletionTokensDetails details = usage.completionTokensDetails().orElseThrow();
    assertThat(details.reasoningTokens()).contains(200L);
    assertThat(details.audioTokens()).contains(4L);
    assertThat(details.acceptedPredictionTokens()).contains(5L);
    assertThat(details.rejectedPredictionTokens()).contains(6L);
    assertThat(completion.choices().get(0).message().content()).contains("Fixed.");

    // the queue is drained: the next request is back to the default behaviour
    assertThat(server.queuedReplies()).isZero();
    assertThat(client.chat().completions().create(hello(ChatModel.GPT_4O).build()).usage().orElseThrow()
            .promptTokens())
        .isEqualTo(20);
  }

  @Test
  void scriptedFinishReasonAndMultipleChoices() {
    server.enqueue(MockReply.text("Cut").withFinishReason("length"));
    ChatCompletion completion = client.chat().completions().create(hello(ChatModel.GPT_4O).n(3).build());

    assertThat(completion.choices()).hasSize(3);
    assertThat(completion.choices()).allSatisfy(c -> {
      assertThat(c.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
      assertThat(c.message().content()).contains("Cut");
    });
    assertThat(completion.choices()).extracting(ChatCompletion.Choice::index).containsExactly(0L, 1L, 2L);
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(3);
  }

  @Test
  void streamingWithoutIncludeUsageSendsNoUsage() {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(hello(ChatModel.GPT_4O).maxCompletionTokens(6).build())) {
      stream.stream().forEach(chunks::add);
    }

    // role chunk + 6 content chunks + finish chunk
    assertThat(chunks).hasSize(8);
    chunks.forEach(ChatCompletionChunk::validate);
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.usage()).isEmpty();
      assertThat(c.model()).isEqualTo("gpt-4o-2024-08-06");
      assertThat(c.id()).isEqualTo(chunks.get(0).id());
    });
    assertThat(chunks.get(0).choices().get(0).delta().role())
        .contains(ChatCompletionChunk.Choice.Delta.Role.ASSISTANT);
    assertThat(chunks.get(7).choices().get(0).finishReason())
        .contains(ChatCompletionChunk.Choice.FinishReason.STOP);
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
    assertThat(text).hasSize(24);
    assertThat(server.lastRequest().isStream()).isTrue();
    assertThat(server.lastRequest().json().has("stream_options")).isFalse();
  }

  @Test
  void streamingWithIncludeUsageEndsWithAUsageChunk() {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        hello(ChatModel.O4_MINI)
            .maxCompletionTokens(40)
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build())) {
      stream.stream().peek(accumulator::accumulate).forEach(chunks::add);
    }

    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    CompletionUsage usage = last.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(20);
    assertThat(usage.completionTokens()).isEqualTo(40);
    assertThat(usage.completionTokensDetails().orElseThrow().reasoningTokens()).contains(30L);
    assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.usage()).isEmpty());

    ChatCompletion accumulated = accumulator.chatCompletion();
    assertThat(accumulated.usage()).contains(usage);
    assertThat(accumulated.choices().get(0).message().content().orElseThrow()).hasSize(10 * 4);
    assertThat(accumulated.model()).isEqualTo("o4-mini-2025-04-16");
  }

  @Test
  void promptCachingHitsOnARepeatedLongPrefix() {
    String longSystem = "x".repeat(4 * 1200); // 7 + 1200 = 1207 tokens
    ChatCompletionCreateParams first = ChatCompletionCreateParams.builder()
        .model(ChatModel.GPT_4O)
        .addSystemMessage(longSystem)
        .addUserMessage("first question") // 7 + 4 = 11
        .build();
    ChatCompletionCreateParams second = first.toBuilder()
        .messages(List.of())
        .addSystemMessage(longSystem)
        .addUserMessage("second question!") // 7 + 4 = 11
        .build();

    CompletionUsage cold = client.chat().completions().create(first).usage().orElseThrow();
    CompletionUsage warm = client.chat().completions().create(second).usage().orElseThrow();

    assertThat(cold.promptTokens()).isEqualTo(1218);
    assertThat(cold.promptTokensDetails().orElseThrow().cachedTokens()).contains(0L);
    // the cold request writes its cacheable part: floor(1218 / 128) * 128
    assertThat(cold.promptTokensDetails().orElseThrow().cacheWriteTokens()).contains(1152L);
    assertThat(warm.promptTokens()).isEqualTo(1218);
    // shared prefix: the system segment (1207) + the user segment's 7 overhead tokens = 1214 -> 1152
    assertThat(warm.promptTokensDetails().orElseThrow().cachedTokens()).contains(1152L);
    assertThat(warm.promptTokensDetails().orElseThrow().cacheWriteTokens()).isEmpty();

    // another model has its own cache
    CompletionUsage otherModel =
        client.chat().completions().create(second.toBuilder().model(ChatModel.GPT_4O_MINI).build()).usage()
            .orElseThrow();
    assertThat(otherModel.promptTokensDetails().orElseThrow().cachedTokens()).contains(0L);

    server.clearPromptCache();
    assertThat(client.chat().completions().create(second).usage().orElseThrow().promptTokensDetails()
            .orElseThrow().cachedTokens())
        .contains(0L);
  }

  @Test
  void shortPromptsAreNeverCached() {
    ChatCompletionCreateParams params = hello(ChatModel.GPT_4O).build();
    client.chat().completions().create(params);
    assertThat(client.chat().completions().create(params).usage().orElseThrow().promptTokensDetails()
            .orElseThrow().cachedTokens())
        .contains(0L);
  }

  @Test
  void servesConcurrentRequests() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<ChatCompletion>> futures = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        boolean stream = i % 2 == 0;
        futures.add(pool.submit(() -> {
          if (!stream) {
            return client.chat().completions().create(hello(ChatModel.GPT_4O).maxCompletionTokens(8).build());
          }
          ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
          try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
              hello(ChatModel.GPT_4O).maxCompletionTokens(8)
                  .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            s.stream().forEach(acc::accumulate);
          }
          return acc.chatCompletion();
        }));
      }
      for (Future<ChatCompletion> f : futures) {
        ChatCompletion c = f.get();
        assertThat(c.usage().orElseThrow().totalTokens()).isEqualTo(28);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(server.requestCount()).isEqualTo(32);
  }
}
