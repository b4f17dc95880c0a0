package dev.aicost.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.RateLimitException;
import com.openai.errors.SseException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scripted failures as the real openai-java client sees them. */
@SuppressWarnings("deprecation") // gpt-4o & co. are deprecated constants in openai-java 4.101, still valid names
class MockOpenAiServerFailureTest {

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

  private static ChatCompletionCreateParams chat() {
    return ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O).addUserMessage("Hi").build();
  }

  private static ChatCompletionCreateParams chatStream() {
    return chat().toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .build();
  }

  @Test
  void rateLimitIsARateLimitException() {
    server.enqueue(MockReply.rateLimited().withRequestId("req_ratelimited").withRetryAfter(Duration.ofSeconds(2)));

    assertThatThrownBy(() -> client.chat().completions().create(chat()))
        .isInstanceOfSatisfying(RateLimitException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(429);
          assertThat(e.code()).contains("rate_limit_exceeded");
          assertThat(e.type()).contains("requests");
          assertThat(e.param()).isEmpty();
          assertThat(e.getMessage()).contains("Rate limit reached");
          assertThat(e.headers().values("x-request-id")).containsExactly("req_ratelimited");
          assertThat(e.headers().values("retry-after")).containsExactly("2");
          assertThat(e.headers().values("retry-after-ms")).containsExactly("2000");
          assertThat(e.headers().values("x-ratelimit-remaining-requests")).containsExactly("0");
        });
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void serverErrorIsAnInternalServerException() {
    server.enqueue(MockReply.serverError());

    assertThatThrownBy(() -> client.chat().completions().create(chat()))
        .isInstanceOfSatisfying(InternalServerException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(500);
          assertThat(e.type()).contains("server_error");
          assertThat(e.code()).isEmpty();
        });
  }

  @Test
  void otherErrorsMapToTheirClientExceptions() {
    server.enqueue(MockReply.badRequest("Invalid 'temperature': decimal above maximum value.", "temperature"),
        MockReply.unauthorized(), MockReply.overloaded(), MockReply.insufficientQuota());

    assertThatThrownBy(() -> client.chat().completions().create(chat()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> {
          assertThat(e.param()).contains("temperature");
          assertThat(e.type()).contains("invalid_request_error");
        });
    assertThatThrownBy(() -> client.chat().completions().create(chat()))
        .isInstanceOfSatisfying(UnauthorizedException.class, e -> assertThat(e.code()).contains("invalid_api_key"));
    assertThatThrownBy(() -> client.chat().completions().create(chat()))
        .isInstanceOfSatisfying(InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
    assertThatThrownBy(() -> client.chat().completions().create(chat()))
        .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.code()).contains("insufficient_quota"));
  }

  @Test
  void errorsAlsoApplyToStreamingRequests() {
    server.enqueue(MockReply.rateLimited());

    assertThatThrownBy(() -> {
      try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chatStream())) {
        s.stream().forEach(c -> {});
      }
    }).isInstanceOf(RateLimitException.class);
  }

  @Test
  void clientRetriesAQueued429ThenSucceeds() {
    server.enqueue(MockReply.rateLimited().withRetryAfter(Duration.ofMillis(10)));
    OpenAIClient retrying = OpenAiClients.builder(server).maxRetries(2).build();
    try {
      ChatCompletion completion = retrying.chat().completions().create(chat());

      assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(8);
    } finally {
      retrying.close();
    }
    List<RecordedRequest> requests = server.requests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).header("x-stainless-retry-count")).contains("0");
    assertThat(requests.get(1).header("x-stainless-retry-count")).contains("1");
    assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());
  }

  @Test
  void clientRetriesADroppedConnection() {
    server.enqueue(MockReply.dropConnection());
    OpenAIClient retrying = OpenAiClients.builder(server).maxRetries(1).build();
    try {
      assertThat(retrying.chat().completions().create(chat()).choices()).hasSize(1);
    } finally {
      retrying.close();
    }
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void droppedConnectionWithoutRetriesIsAnIoError() {
    server.enqueue(MockReply.dropConnection());
    assertThatThrownBy(() -> client.chat().completions().create(chat())).isInstanceOf(OpenAIIoException.class);
  }

  @Test
  void cutChatStreamFailsAfterTheChunksSent() {
    // event 0: role chunk, events 1-2: content chunks, then the connection dies
    server.enqueue(MockReply.cutStream(3));
    List<ChatCompletionChunk> received = new ArrayList<>();

    assertThatThrownBy(() -> {
      try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chatStream())) {
        s.stream().forEach(received::add);
      }
    }).isInstanceOf(OpenAIException.class).satisfies(e -> assertThat(rootCauseMessage(e)).isNotBlank());

    assertThat(received).hasSize(3);
    assertThat(received).allSatisfy(c -> assertThat(c.usage()).isEmpty());
    assertThat(received.get(0).choices().get(0).delta().role()).isPresent();
  }

  @Test
  void cutResponsesStreamFailsAfterTheEventsSent() {
    server.enqueue(MockReply.cutStream(5));
    List<ResponseStreamEvent> received = new ArrayList<>();

    assertThatThrownBy(() -> {
      try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(
          ResponseCreateParams.builder().model(ChatModel.GPT_4O).input("x").build())) {
        s.stream().forEach(received::add);
      }
    }).isInstanceOf(OpenAIException.class);

    assertThat(received).hasSize(5);
    assertThat(received).noneMatch(ResponseStreamEvent::isCompleted);
  }

  @Test
  void cutNonStreamingBodyFails() {
    server.enqueue(MockReply.cutStream(0));
    assertThatThrownBy(() -> client.chat().completions().create(chat())).isInstanceOf(OpenAIException.class);
  }

  @Test
  void malformedBodyIsInvalidData() {
    server.enqueue(MockReply.malformed());
    assertThatThrownBy(() -> client.chat().completions().create(chat()))
        .isInstanceOf(OpenAIInvalidDataException.class);

    server.enqueue(MockReply.malformed("{\"id\":\"chatcmpl-1\",\"object\":\"not.a.completion\"}"));
    assertThatThrownBy(() -> client.chat().completions().create(chat()))
        .isInstanceOf(OpenAIInvalidDataException.class);
  }

  @Test
  void malformedStreamEventIsInvalidData() {
    server.enqueue(MockReply.malformed());
    assertThatThrownBy(() -> {
      try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chatStream())) {
        s.stream().forEach(c -> {});
      }
    }).isInstanceOf(OpenAIInvalidDataException.class);
  }

  @Test
  void midStreamErrorEventIsAnSseException() {
    server.enqueue(MockReply.malformed(
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
            + "data: {\"error\":{\"message\":\"The server had an error while processing your request.\","
            + "\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n"));
    List<ChatCompletionChunk> received = new ArrayList<>();

    assertThatThrownBy(() -> {
      try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chatStream())) {
        s.stream().forEach(received::add);
      }
    }).isInstanceOfSatisfying(SseException.class, e -> assertThat(e.type()).contains("server_error"));
    assertThat(received).hasSize(1);
  }

  @Test
  void slowReplyDelaysTheResponse() {
    server.enqueue(MockReply.slow(Duration.ofMillis(300)));
    long start = System.nanoTime();
    client.chat().completions().create(chat());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void slowReplyTripsTheClientTimeout() {
    server.enqueue(MockReply.slow(Duration.ofSeconds(3)));
    OpenAIClient impatient = OpenAiClients.builder(server).maxRetries(0).timeout(Duration.ofMillis(200)).build();
    try {
      assertThatThrownBy(() -> impatient.chat().completions().create(chat())).isInstanceOf(OpenAIIoException.class);
    } finally {
      impatient.close();
    }
  }

  @Test
  void eventDelayPacesTheStream() {
    server.enqueue(MockReply.success().withEventDelay(Duration.ofMillis(20)));
    List<Long> arrivals = new ArrayList<>();
    long start = System.nanoTime();
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
        chatStream().toBuilder().maxCompletionTokens(4).build())) {
      s.stream().forEach(c -> arrivals.add(System.nanoTime()));
    }
    // role + 4 content + finish + usage = 7 chunks; the server waits 20 ms before each event after the first, so the
    // usage chunk cannot arrive earlier than 6 x 20 ms after the request
    assertThat(arrivals).hasSize(7);
    assertThat(Duration.ofNanos(arrivals.get(6) - start)).isGreaterThanOrEqualTo(Duration.ofMillis(120));
  }

  @Test
  void requireApiKeyRejectsOtherKeys() {
    try (MockOpenAiServer guarded = MockOpenAiServer.builder().requireApiKey(OpenAiClients.API_KEY).start()) {
      OpenAIClient good = OpenAiClients.strict(guarded);
      OpenAIClient bad = OpenAiClients.builder(guarded).apiKey("sk-wrong").maxRetries(0).build();
      try {
        assertThat(good.chat().completions().create(chat()).choices()).hasSize(1);
        assertThatThrownBy(() -> bad.chat().completions().create(chat()))
            .isInstanceOfSatisfying(UnauthorizedException.class,
                e -> assertThat(e.code()).contains("invalid_api_key"));
      } finally {
        good.close();
        bad.close();
      }
    }
  }

  private static String rootCauseMessage(Throwable t) {
    Throwable cause = t;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return String.valueOf(cause);
  }
}
