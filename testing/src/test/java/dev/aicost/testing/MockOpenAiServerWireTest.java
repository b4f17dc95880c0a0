package dev.aicost.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Byte-level checks of the wire format, with the JDK HTTP client (no SDK leniency in between). */
class MockOpenAiServerWireTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static MockOpenAiServer server;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    server = MockOpenAiServer.start();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void reset() {
    server.reset();
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer sk-wire")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> events(String sse) {
    assertThat(sse).endsWith("\n\n");
    return Arrays.asList(sse.substring(0, sse.length() - 2).split("\n\n", -1));
  }

  @Test
  void baseUrlIsLoopbackWithV1() {
    assertThat(server.baseUrl()).isEqualTo("http://127.0.0.1:" + server.port() + "/v1");
    assertThat(server.port()).isPositive();
  }

  @Test
  void chatStreamFramingWithoutUsage() throws Exception {
    HttpResponse<String> response = post("/chat/completions",
        "{\"model\":\"gpt-4o\",\"stream\":true,\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
        ct -> assertThat(ct).startsWith("text/event-stream"));
    assertThat(response.headers().firstValue("x-request-id")).hasValueSatisfying(
        id -> assertThat(id).matches("req_[0-9a-f]{32}"));
    List<String> events = events(response.body());
    assertThat(events).hasSize(5); // role, 2 content, finish, [DONE]
    assertThat(events).allSatisfy(e -> assertThat(e).startsWith("data: ").doesNotContain("\n"));
    assertThat(events.get(4)).isEqualTo("data: [DONE]");
    for (String event : events.subList(0, 4)) {
      JsonNode chunk = MAPPER.readTree(event.substring("data: ".length()));
      assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(chunk.has("usage")).as("no usage key at all without include_usage").isFalse();
      assertThat(chunk.path("service_tier").asText()).isEqualTo("default");
    }
    JsonNode first = MAPPER.readTree(events.get(0).substring(6));
    assertThat(first.at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThat(first.at("/choices/0/delta/content").asText()).isEmpty();
    assertThat(first.at("/choices/0/finish_reason").isNull()).isTrue();
    JsonNode finish = MAPPER.readTree(events.get(3).substring(6));
    assertThat(finish.at("/choices/0/delta").size()).isZero();
    assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void chatStreamFramingWithUsage() throws Exception {
    HttpResponse<String> response = post("/chat/completions",
        "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true,\"include_obfuscation\":false},"
            + "\"max_completion_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    List<String> events = events(response.body());
    assertThat(events).hasSize(5); // role, 1 content, finish, usage, [DONE]
    for (String event : events.subList(0, 3)) {
      JsonNode chunk = MAPPER.readTree(event.substring(6));
      assertThat(chunk.get("usage").isNull()).as("usage: null on every content chunk").isTrue();
      assertThat(chunk.has("obfuscation")).isFalse();
    }
    JsonNode usageChunk = MAPPER.readTree(events.get(3).substring(6));
    assertThat(usageChunk.get("choices").isArray()).isTrue();
    assertThat(usageChunk.get("choices").size()).isZero();
    assertThat(usageChunk.at("/usage/prompt_tokens").asLong()).isEqualTo(8);
    assertThat(usageChunk.at("/usage/completion_tokens").asLong()).isEqualTo(1);
    assertThat(usageChunk.at("/usage/total_tokens").asLong()).isEqualTo(9);
    assertThat(usageChunk.at("/usage/prompt_tokens_details/cached_tokens").asLong()).isZero();
    assertThat(usageChunk.at("/usage/completion_tokens_details/reasoning_tokens").asLong()).isZero();
    assertThat(events.get(4)).isEqualTo("data: [DONE]");
  }

  @Test
  void responsesStreamHasEventAndDataLinesWithSequenceNumbers() throws Exception {
    HttpResponse<String> response = post("/responses",
        "{\"model\":\"gpt-4o\",\"stream\":true,\"input\":\"Hi\",\"max_output_tokens\":2}");

    List<String> events = events(response.body());
    List<String> types = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      String[] lines = events.get(i).split("\n");
      assertThat(lines).hasSize(2);
      assertThat(lines[0]).startsWith("event: ");
      assertThat(lines[1]).startsWith("data: ");
      JsonNode data = MAPPER.readTree(lines[1].substring(6));
      String type = lines[0].substring(7);
      assertThat(data.path("type").asText()).isEqualTo(type);
      assertThat(data.path("sequence_number").asInt()).isEqualTo(i);
      types.add(type);
    }
    assertThat(types).containsExactly(
        "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
        "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
        "response.content_part.done", "response.output_item.done", "response.completed");
    assertThat(response.body()).doesNotContain("[DONE]");
    JsonNode created = MAPPER.readTree(events.get(0).split("\n")[1].substring(6));
    assertThat(created.at("/response/service_tier").asText()).isEqualTo("auto");
    JsonNode completed = MAPPER.readTree(events.get(events.size() - 1).split("\n")[1].substring(6));
    assertThat(completed.at("/response/status").asText()).isEqualTo("completed");
    assertThat(completed.at("/response/service_tier").asText()).isEqualTo("default");
    assertThat(completed.at("/response/usage/input_tokens").asLong()).isEqualTo(8);
    assertThat(completed.at("/response/usage/output_tokens").asLong()).isEqualTo(2);
    assertThat(completed.at("/response/usage/total_tokens").asLong()).isEqualTo(10);
    assertThat(completed.at("/response/output/0/content/0/text").asText()).hasSize(8);
  }

  @Test
  void chatBodyFieldOrderAndNulls() throws Exception {
    HttpResponse<String> response = post("/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"service_tier\":\"flex\"}");
    JsonNode body = MAPPER.readTree(response.body());
    List<String> fields = new ArrayList<>();
    body.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly(
        "id", "object", "created", "model", "choices", "usage", "service_tier", "system_fingerprint");
    assertThat(body.at("/choices/0/message/refusal").isNull()).isTrue();
    assertThat(body.at("/choices/0/logprobs").isNull()).isTrue();
    assertThat(body.path("service_tier").asText()).isEqualTo("flex");
    assertThat(response.headers().firstValue("openai-version")).contains("2020-10-01");
  }

  @Test
  void errorBodyShape() throws Exception {
    server.enqueue(MockReply.rateLimited().withRetryAfter(Duration.ofMillis(1500)).withRequestId("req_x"));
    HttpResponse<String> response = post("/chat/completions", "{}");

    assertThat(response.statusCode()).isEqualTo(429);
    JsonNode error = MAPPER.readTree(response.body()).get("error");
    List<String> fields = new ArrayList<>();
    error.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("message", "type", "param", "code");
    assertThat(error.get("param").isNull()).isTrue();
    assertThat(error.get("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(response.headers().firstValue("retry-after")).contains("2");
    assertThat(response.headers().firstValue("retry-after-ms")).contains("1500");
    assertThat(response.headers().firstValue("x-request-id")).contains("req_x");
  }

  @Test
  void requestValidationLikeOpenAi() throws Exception {
    HttpResponse<String> invalidJson = post("/chat/completions", "{not json");
    assertThat(invalidJson.statusCode()).isEqualTo(400);
    assertThat(invalidJson.body()).contains("could not parse the JSON body");

    HttpResponse<String> noModel = post("/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(noModel.statusCode()).isEqualTo(400);
    assertThat(noModel.body()).contains("you must provide a model parameter");

    HttpResponse<String> noMessages = post("/chat/completions", "{\"model\":\"gpt-4o\"}");
    assertThat(noMessages.statusCode()).isEqualTo(400);
    assertThat(MAPPER.readTree(noMessages.body()).at("/error/code").asText()).isEqualTo("missing_required_parameter");

    HttpResponse<String> streamOptions = post("/chat/completions",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream_options\":"
            + "{\"include_usage\":true}}");
    assertThat(streamOptions.statusCode()).isEqualTo(400);
    assertThat(MAPPER.readTree(streamOptions.body()).at("/error/param").asText()).isEqualTo("stream_options");

    HttpResponse<String> noInput = post("/embeddings", "{\"model\":\"text-embedding-3-small\"}");
    assertThat(noInput.statusCode()).isEqualTo(400);
  }

  @Test
  void unknownPathIs404AndDoesNotConsumeTheQueue() throws Exception {
    server.enqueue(MockReply.serverError());
    HttpResponse<String> response = post("/completions/legacy", "{}");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("Invalid URL (POST /v1/completions/legacy)");
    assertThat(server.queuedReplies()).isEqualTo(1);
    assertThat(server.requests()).extracting(RecordedRequest::path).containsExactly("/v1/completions/legacy");
  }

  @Test
  void modelsList() throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/models")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body = MAPPER.readTree(response.body());
    assertThat(body.path("object").asText()).isEqualTo("list");
    assertThat(body.path("data").findValuesAsText("id")).contains("gpt-4o", "gpt-4o-2024-08-06");
  }

  @Test
  void gzipRequestBodiesAreDecoded() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
          .getBytes(StandardCharsets.UTF_8));
    }
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(server.lastRequest().model()).contains("gpt-4o");
  }

  @Test
  void awaitRequestsBlocksUntilArrival() throws Exception {
    Thread sender = new Thread(() -> {
      try {
        Thread.sleep(100);
        post("/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}");
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    sender.start();
    RecordedRequest request = server.awaitRequest(r -> r.path().endsWith("/embeddings"), Duration.ofSeconds(5));
    assertThat(request.json().path("input").asText()).isEqualTo("x");
    sender.join();
  }

  @Test
  void cutAfterAllEventsStillTruncatesTheChunkedBody() {
    server.enqueue(MockReply.cutStream(100));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> post("/chat/completions",
            "{\"model\":\"gpt-4o\",\"stream\":true,\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
        .isInstanceOf(IOException.class);
  }
}
