package dev.aicost.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.ChatModel;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCompletedEvent;
import com.openai.models.responses.ResponseContentPartAddedEvent;
import com.openai.models.responses.ResponseContentPartDoneEvent;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseCreatedEvent;
import com.openai.models.responses.ResponseInProgressEvent;
import com.openai.models.responses.ResponseOutputItemAddedEvent;
import com.openai.models.responses.ResponseOutputItemDoneEvent;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextDeltaEvent;
import com.openai.models.responses.ResponseTextDoneEvent;
import com.openai.models.responses.ResponseUsage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Responses API against the real openai-java client, with strict response validation. */
@SuppressWarnings("deprecation") // gpt-4o & co. are deprecated constants in openai-java 4.101, still valid names
class MockOpenAiServerResponsesTest {

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

  @Test
  void syncResponseHasOpenAiShapeAndFormulaUsage() {
    // instructions: 7 + ceil(14/4)=4 -> 11; input: 7 + ceil(11/4)=3 -> 10
    Response response = client.responses().create(ResponseCreateParams.builder()
        .model(ChatModel.GPT_4_1)
        .instructions("You are terse.")
        .input("Say hello.")
        .maxOutputTokens(12)
        .build());
    response.validate();

    assertThat(response.id()).matches("resp_[0-9a-f]{48}");
    assertThat(response.status()).contains(ResponseStatus.COMPLETED);
    assertThat(OpenAiStreams.modelName(response)).isEqualTo("gpt-4.1-2025-04-14");
    assertThat(response.serviceTier()).hasValueSatisfying(t -> assertThat(t.asString()).isEqualTo("default"));
    assertThat(response.maxOutputTokens()).contains(12L);
    assertThat(response.output()).hasSize(1);
    assertThat(response.output().get(0).isMessage()).isTrue();
    assertThat(response.output().get(0).asMessage().id()).startsWith("msg_");
    assertThat(OpenAiStreams.outputText(response)).hasSize(12 * 4);

    ResponseUsage usage = response.usage().orElseThrow();
    assertThat(usage.inputTokens()).isEqualTo(21);
    assertThat(usage.inputTokensDetails().cachedTokens()).isZero();
    assertThat(usage.inputTokensDetails().cacheWriteTokens()).isZero();
    assertThat(usage.outputTokens()).isEqualTo(12);
    assertThat(usage.outputTokensDetails().reasoningTokens()).isZero();
    assertThat(usage.totalTokens()).isEqualTo(33);
    assertThat(UsageFormula.responsesInputTokens(server.lastRequest().json())).isEqualTo(21);
  }

  @Test
  void reasoningModelEmitsAReasoningItemAndReasoningTokens() {
    Response response = client.responses().create(ResponseCreateParams.builder()
        .model(ChatModel.GPT_5_MINI)
        .input("Think.")
        .build());

    assertThat(OpenAiStreams.modelName(response)).isEqualTo("gpt-5-mini-2025-08-07");
    assertThat(response.output()).hasSize(2);
    assertThat(response.output().get(0).isReasoning()).isTrue();
    assertThat(response.output().get(1).isMessage()).isTrue();
    ResponseUsage usage = response.usage().orElseThrow();
    assertThat(usage.outputTokens()).isEqualTo(64);
    assertThat(usage.outputTokensDetails().reasoningTokens()).isEqualTo(48);
    assertThat(OpenAiStreams.outputText(response)).hasSize(16 * 4);
  }

  @Test
  void reasoningEffortNoneMeansNoReasoningTokens() {
    Response response = client.responses().create(ResponseCreateParams.builder()
        .model(ChatModel.of("gpt-5.1"))
        .input("Quick.")
        .reasoning(Reasoning.builder().effort(ReasoningEffort.NONE).build())
        .build());

    assertThat(response.usage().orElseThrow().outputTokensDetails().reasoningTokens()).isZero();
    assertThat(response.output()).hasSize(1);
  }

  @Test
  void scriptedUsageMapsOntoResponseUsage() {
    server.enqueue(MockReply.usage(TokenUsage.builder()
        .promptTokens(2000).cachedTokens(1920).cacheWriteTokens(64).completionTokens(500).reasoningTokens(320).build()));

    Response response =
        client.responses().create(ResponseCreateParams.builder().model(ChatModel.O3).input("x").build());

    ResponseUsage usage = response.usage().orElseThrow();
    assertThat(usage.inputTokens()).isEqualTo(2000);
    assertThat(usage.inputTokensDetails().cachedTokens()).isEqualTo(1920);
    assertThat(usage.inputTokensDetails().cacheWriteTokens()).isEqualTo(64);
    assertThat(usage.outputTokens()).isEqualTo(500);
    assertThat(usage.outputTokensDetails().reasoningTokens()).isEqualTo(320);
    assertThat(usage.totalTokens()).isEqualTo(2500);
  }

  @Test
  void streamingEmitsEveryEventAsAKnownVariant() {
    List<ResponseStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
        ResponseCreateParams.builder().model(ChatModel.GPT_4O_MINI).input("Stream please").maxOutputTokens(5)
            .build())) {
      stream.stream().forEach(events::add);
    }

    List<String> types = new ArrayList<>();
    StringBuilder deltas = new StringBuilder();
    String[] doneText = new String[1];
    ResponseCompletedEvent[] completed = new ResponseCompletedEvent[1];
    for (ResponseStreamEvent event : events) {
      event.validate();
      types.add(event.accept(new ResponseStreamEvent.Visitor<String>() {
        @Override
        public String visitCreated(ResponseCreatedEvent e) {
          assertThat(e.response().status()).contains(ResponseStatus.IN_PROGRESS);
          assertThat(e.response().usage()).isEmpty();
          return "response.created";
        }

        @Override
        public String visitInProgress(ResponseInProgressEvent e) {
          return "response.in_progress";
        }

        @Override
        public String visitOutputItemAdded(ResponseOutputItemAddedEvent e) {
          return "response.output_item.added";
        }

        @Override
        public String visitContentPartAdded(ResponseContentPartAddedEvent e) {
          return "response.content_part.added";
        }

        @Override
        public String visitOutputTextDelta(ResponseTextDeltaEvent e) {
          deltas.append(e.delta());
          return "response.output_text.delta";
        }

        @Override
        public String visitOutputTextDone(ResponseTextDoneEvent e) {
          doneText[0] = e.text();
          return "response.output_text.done";
        }

        @Override
        public String visitContentPartDone(ResponseContentPartDoneEvent e) {
          return "response.content_part.done";
        }

        @Override
        public String visitOutputItemDone(ResponseOutputItemDoneEvent e) {
          return "response.output_item.done";
        }

        @Override
        public String visitCompleted(ResponseCompletedEvent e) {
          completed[0] = e;
          return "response.completed";
        }

        @Override
        public String unknown(JsonValue json) {
          throw new AssertionError("openai-java did not recognise event " + json);
        }
      }));
    }

    assertThat(types).containsExactly(
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        "response.output_text.delta",
        "response.output_text.delta",
        "response.output_text.delta",
        "response.output_text.delta",
        "response.output_text.delta",
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed");
    assertThat(events).extracting(OpenAiStreams::sequenceNumber)
        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, events.size()).boxed().toList());
    assertThat(deltas.toString()).hasSize(20).isEqualTo(doneText[0]);
    Response response = completed[0].response();
    assertThat(response.status()).contains(ResponseStatus.COMPLETED);
    assertThat(OpenAiStreams.outputText(response)).isEqualTo(doneText[0]);
    // input: 7 + ceil(13/4)=4 -> 11
    assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(11);
    assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(5);
  }

  @Test
  void streamingReasoningModelAddsTheReasoningItem() {
    List<ResponseStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
        ResponseCreateParams.builder().model(ChatModel.O4_MINI).input("Hm").maxOutputTokens(8).build())) {
      stream.stream().forEach(events::add);
    }

    assertThat(events.get(2).isOutputItemAdded()).isTrue();
    assertThat(events.get(2).asOutputItemAdded().item().isReasoning()).isTrue();
    assertThat(events.get(3).isOutputItemDone()).isTrue();
    assertThat(events.get(4).asOutputItemAdded().outputIndex()).isEqualTo(1);
    assertThat(events.get(4).asOutputItemAdded().item().isMessage()).isTrue();
    ResponseStreamEvent last = events.get(events.size() - 1);
    assertThat(last.isCompleted()).isTrue();
    ResponseUsage usage = last.asCompleted().response().usage().orElseThrow();
    assertThat(usage.outputTokens()).isEqualTo(8);
    assertThat(usage.outputTokensDetails().reasoningTokens()).isEqualTo(6);
    assertThat(events).filteredOn(ResponseStreamEvent::isOutputTextDelta).hasSize(2);
  }

  @Test
  void previousResponseIdCarriesTheConversationAndEnablesCaching() {
    String longInput = "y".repeat(4 * 1100); // 7 + 1100 = 1107 tokens
    Response first = client.responses().create(ResponseCreateParams.builder()
        .model(ChatModel.GPT_4O).input(longInput).maxOutputTokens(10).build());
    assertThat(first.usage().orElseThrow().inputTokens()).isEqualTo(1107);
    assertThat(first.usage().orElseThrow().inputTokensDetails().cacheWriteTokens()).isEqualTo(1024);

    Response second = client.responses().create(ResponseCreateParams.builder()
        .model(ChatModel.GPT_4O).previousResponseId(first.id()).input("and?").build());

    // previous input (1107) + previous answer (7 + 10) + new input (7 + 1)
    ResponseUsage usage = second.usage().orElseThrow();
    assertThat(usage.inputTokens()).isEqualTo(1107 + 17 + 8);
    // shared with the first prompt: its whole 1107 tokens -> 1024 cached
    assertThat(usage.inputTokensDetails().cachedTokens()).isEqualTo(1024);
    // 1132 tokens -> cacheable 1024, all of it already cached
    assertThat(usage.inputTokensDetails().cacheWriteTokens()).isZero();
    assertThat(second.previousResponseId()).contains(first.id());
  }

  @Test
  void unknownPreviousResponseIdIsA400() {
    assertThatThrownBy(() -> client.responses().create(ResponseCreateParams.builder()
            .model(ChatModel.GPT_4O).previousResponseId("resp_nope").input("x").build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.param()).contains("previous_response_id");
          assertThat(e.code()).contains("previous_response_not_found");
          assertThat(e.getMessage()).contains("resp_nope");
        });
  }
}
