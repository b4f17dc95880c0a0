package dev.aicost.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * An Amazon Bedrock Runtime endpoint on 127.0.0.1 for tests and demos, speaking the service's REST-JSON protocol:
 * {@code POST /model/{modelId}/converse}, {@code /converse-stream}, {@code /invoke} and
 * {@code /invoke-with-response-stream}. The streaming operations answer with the AWS binary event stream
 * ({@code application/vnd.amazon.eventstream}), framed with the AWS codec; InvokeModel speaks each model family's
 * native body (Anthropic Messages, Nova, Titan text and embeddings, Llama, Mistral, Cohere Command and Embed).
 *
 * <p>Point an AWS SDK client at it with {@code endpointOverride(server.endpoint())}, region {@code us-east-1} and
 * static dummy credentials: SigV4 signing works offline, and the server requires a signed request (an
 * {@code Authorization: AWS4-HMAC-SHA256 …} header) like the real service.
 *
 * <p>By default every request gets a deterministic reply: input tokens are {@code ceil(chars / 4)} (at least 1)
 * summed over the prompt's texts, output tokens are the request's limit ({@code inferenceConfig.maxTokens}, the
 * family's {@code max_tokens}, ...) or {@value UsageFormula#DEFAULT_COMPLETION_TOKENS}, the text has 4 characters
 * per output token, and embeddings have 0 output tokens. Tests script replies with {@link #enqueue(BedrockReply)}:
 * served first-in first-out, one per request to a known operation. Every request is recorded.
 *
 * <p>Thread-safe; requests are served concurrently on daemon threads.
 */
public final class MockBedrockServer extends MockHttpServer<BedrockReply, MockBedrockServer> {

  /** The operations, by the last segment of their path. */
  public static final List<String> OPERATIONS =
      List.of("converse", "converse-stream", "invoke", "invoke-with-response-stream");

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private MockBedrockServer(int port) throws IOException {
    super("MockBedrockServer", BedrockReply::success);
    listen(port, "mock-bedrock");
  }

  /** Starts a server on an ephemeral port. */
  public static MockBedrockServer start() {
    return start(0);
  }

  /** Starts a server on {@code port} (0: ephemeral). */
  public static MockBedrockServer start(int port) {
    try {
      return new MockBedrockServer(JdkHttpServers.checkPort(port));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start MockBedrockServer", e);
    }
  }

  // ------------------------------------------------------------------ public API

  /** {@code http://127.0.0.1:PORT}: the endpoint override for a Bedrock Runtime client. */
  public URI endpoint() {
    return URI.create(rootUrl());
  }

  /** Every request received so far, in arrival order (a snapshot). Paths are raw: the model id is URL-encoded. */
  @Override
  public List<RecordedRequest> requests() {
    return super.requests();
  }

  /** The requests for operation {@code operation} ({@code converse}, {@code invoke}, ...). */
  public List<RecordedRequest> requests(String operation) {
    return requests().stream().filter(r -> operation.equals(operation(r))).toList();
  }

  /** The decoded model id of a recorded request ({@code /model/{modelId}/…}), if its path has one. */
  public static Optional<String> modelId(RecordedRequest request) {
    String[] parts = request.path().split("/");
    if (parts.length != 4 || !parts[1].equals("model")) {
      return Optional.empty();
    }
    return Optional.of(URLDecoder.decode(parts[2], StandardCharsets.UTF_8));
  }

  /** The operation of a recorded request (the path's last segment), or {@code null}. */
  public static String operation(RecordedRequest request) {
    String[] parts = request.path().split("/");
    return parts.length == 4 && parts[1].equals("model") ? parts[3] : null;
  }

  @Override
  public String toString() {
    return "MockBedrockServer[" + endpoint() + "]";
  }

  // ------------------------------------------------------------------ HTTP handling

  @Override
  void sendInternalError(HttpExchange exchange, String message, long startNanos) throws IOException {
    sendError(exchange, 500, "InternalServerException", message, Map.of());
  }

  @Override
  void serve(HttpExchange exchange, long startNanos) throws IOException, InterruptedException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String rawPath = exchange.getRequestURI().getRawPath();
    byte[] raw = exchange.getRequestBody().readAllBytes();
    String body = new String(raw, StandardCharsets.UTF_8);
    RecordedRequest recorded = record(exchange, method, rawPath, body);

    String operation = operation(recorded);
    Optional<String> modelId = modelId(recorded);
    if (!"POST".equals(method) || operation == null || !OPERATIONS.contains(operation) || modelId.isEmpty()) {
      sendError(exchange, 404, "UnknownOperationException", "Unknown operation " + method + " " + rawPath, Map.of());
      return;
    }
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null
        || !(authorization.startsWith("AWS4-HMAC-SHA256 Credential=") || authorization.startsWith("Bearer "))) {
      sendError(exchange, 403, "MissingAuthenticationTokenException", "Missing Authentication Token", Map.of());
      return;
    }

    BedrockReply reply = nextReply();
    JdkHttpServers.sleep(reply.delay());
    switch (reply.kind()) {
      case DROP_CONNECTION -> throw new JdkHttpServers.AbortConnection();
      case ERROR -> {
        sendError(exchange, reply.status(), reply.errorType(), reply.errorMessage(), reply.headers());
        return;
      }
      default -> {}
    }
    JsonNode request = Json.parseOrNull(body);
    if (request == null || !request.isObject()) {
      sendError(exchange, 400, "ValidationException", "Malformed input request, please reformat your input and "
          + "try again.", Map.of());
      return;
    }
    String model = modelId.get();
    switch (operation) {
      case "converse", "converse-stream" -> {
        if (!request.path("messages").isArray() || request.path("messages").isEmpty()) {
          sendError(exchange, 400, "ValidationException",
              "A conversation must start with a user message. Try again with a conversation that starts with a "
                  + "user message.",
              Map.of());
          return;
        }
        converse(exchange, model, request, reply, operation.equals("converse-stream"), startNanos);
      }
      default -> invoke(exchange, model, request, reply, operation.equals("invoke-with-response-stream"),
          startNanos);
    }
  }

  // ------------------------------------------------------------------ operations

  private static long outputTokens(long limit, BedrockReply reply) {
    if (reply.text().isPresent()) {
      return UsageFormula.textTokens(reply.text().get());
    }
    return limit > 0 ? limit : UsageFormula.DEFAULT_COMPLETION_TOKENS;
  }

  private static String text(BedrockUsage usage, BedrockReply reply) {
    return reply.text().orElseGet(() -> UsageFormula.generatedText(usage.outputTokens()));
  }

  private static long latency(long startNanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  private void converse(HttpExchange exchange, String modelId, JsonNode request, BedrockReply reply, boolean stream,
      long startNanos) throws IOException, InterruptedException {
    JsonNode limit = request.path("inferenceConfig").path("maxTokens");
    BedrockUsage usage = reply.usage().orElseGet(() -> BedrockUsage.of(
        BedrockWire.tokens(BedrockWire.converseTexts(request)),
        outputTokens(limit.canConvertToLong() ? limit.asLong() : -1, reply)));
    String text = text(usage, reply);
    String stopReason = reply.stopReason().orElse("end_turn");
    JsonNode tier = request.path("serviceTier").isObject() ? request.get("serviceTier").deepCopy() : null;
    if (!stream) {
      sendJson(exchange, 200, BedrockWire.converseResponse(text, stopReason, usage, latency(startNanos), tier),
          reply, "application/json", Map.of());
      return;
    }
    List<ByteBuffer> events = new ArrayList<>();
    for (Map.Entry<String, ObjectNode> e :
        BedrockWire.converseStreamEvents(text, stopReason, usage, latency(startNanos), tier)) {
      events.add(BedrockWire.event(e.getKey(), e.getValue()));
    }
    sendEventStream(exchange, events, reply, Map.of());
  }

  private void invoke(HttpExchange exchange, String modelId, JsonNode request, BedrockReply reply, boolean stream,
      long startNanos) throws IOException, InterruptedException {
    BedrockWire.Family family = BedrockWire.family(modelId);
    long input = BedrockWire.tokens(BedrockWire.invokeTexts(family, request));
    BedrockUsage usage = reply.usage().orElseGet(() -> BedrockUsage.of(
        input, family.isEmbedding() ? 0 : outputTokens(BedrockWire.invokeMaxTokens(family, request), reply)));
    String text = family.isEmbedding() ? "" : text(usage, reply);
    String stopReason = reply.stopReason().orElse(BedrockWire.defaultStopReason(family));
    String tier = exchange.getRequestHeaders().getFirst("X-Amzn-Bedrock-Service-Tier");
    Map<String, String> extra = new java.util.LinkedHashMap<>();
    if (tier != null) {
      extra.put("X-Amzn-Bedrock-Service-Tier", tier);
    }
    if (!stream) {
      extra.put("X-Amzn-Bedrock-Invocation-Latency", Long.toString(latency(startNanos)));
      if (reply.tokenHeaders()) {
        extra.put("X-Amzn-Bedrock-Input-Token-Count", Long.toString(usage.inputTokens()));
        extra.put("X-Amzn-Bedrock-Output-Token-Count", Long.toString(usage.outputTokens()));
        if (family == BedrockWire.Family.ANTHROPIC || family == BedrockWire.Family.NOVA || usage.hasCache()) {
          extra.put("X-Amzn-Bedrock-Cache-Read-Input-Token-Count", Long.toString(usage.cacheReadInputTokens()));
          extra.put("X-Amzn-Bedrock-Cache-Write-Input-Token-Count", Long.toString(usage.cacheWriteInputTokens()));
        }
      }
      int embeddings = Math.max(1, request.path("texts").size());
      sendJson(exchange, 200, BedrockWire.invokeBody(family, modelId, text, stopReason, usage, embeddings), reply,
          "application/json", extra);
      return;
    }
    List<ByteBuffer> events = new ArrayList<>();
    for (ObjectNode chunk : BedrockWire.invokeStreamChunks(
        family, modelId, text, stopReason, usage, reply.invocationMetrics(), latency(startNanos))) {
      events.add(BedrockWire.event("chunk", BedrockWire.payloadPart(chunk)));
    }
    extra.put("X-Amzn-Bedrock-Content-Type", "application/json");
    sendEventStream(exchange, events, reply, extra);
  }

  // ------------------------------------------------------------------ responses

  private static void standardHeaders(Headers headers, Map<String, String> extra, Map<String, String> replyHeaders) {
    headers.set("x-amzn-RequestId", UUID.randomUUID().toString());
    headers.set("Date", HTTP_DATE.format(Instant.now()));
    extra.forEach(headers::set);
    replyHeaders.forEach(headers::set);
  }

  private static void sendError(HttpExchange exchange, int status, String type, String message,
      Map<String, String> replyHeaders) throws IOException {
    byte[] bytes = Json.write(BedrockWire.errorBody(message)).getBytes(StandardCharsets.UTF_8);
    Headers headers = exchange.getResponseHeaders();
    headers.set("Content-Type", "application/json");
    headers.set("x-amzn-ErrorType", BedrockWire.errorTypeHeader(type));
    standardHeaders(headers, Map.of(), replyHeaders);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** A 200 JSON reply; with a cut-off, half of the body and then an aborted connection. */
  private static void sendJson(HttpExchange exchange, int status, JsonNode body, BedrockReply reply,
      String contentType, Map<String, String> extra) throws IOException {
    byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    standardHeaders(exchange.getResponseHeaders(), extra, reply.headers());
    exchange.sendResponseHeaders(status, bytes.length);
    OutputStream out = exchange.getResponseBody();
    if (reply.cutAfterEvents().isPresent() && reply.streamErrorType().isEmpty()) {
      out.write(bytes, 0, bytes.length / 2);
      out.flush();
      throw new JdkHttpServers.AbortConnection();
    }
    out.write(bytes);
    out.close();
  }

  private static void sendEventStream(HttpExchange exchange, List<ByteBuffer> events, BedrockReply reply,
      Map<String, String> extra) throws IOException, InterruptedException {
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.amazon.eventstream");
    standardHeaders(exchange.getResponseHeaders(), extra, reply.headers());
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    int stopAt = reply.cutAfterEvents().orElse(Integer.MAX_VALUE);
    for (int i = 0; i < events.size() && i < stopAt; i++) {
      if (i > 0) {
        JdkHttpServers.sleep(reply.eventDelay());
      }
      write(out, events.get(i));
      out.flush();
    }
    if (reply.cutAfterEvents().isPresent()) {
      if (reply.streamErrorType().isPresent()) {
        write(out, BedrockWire.exception(reply.streamErrorType().get(), reply.streamErrorMessage()));
      } else {
        out.flush();
        throw new JdkHttpServers.AbortConnection();
      }
    }
    out.close();
  }

  private static void write(OutputStream out, ByteBuffer buffer) throws IOException {
    ByteBuffer b = buffer.duplicate();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    out.write(bytes);
  }

  // ------------------------------------------------------------------ standalone

  /**
   * Runs the server until the JVM is stopped. Options: {@code --port N} (default 0: ephemeral), {@code --port-file
   * FILE} (written atomically with the port number once listening). Prints the endpoint on stdout.
   */
  public static void main(String[] args) throws Exception {
    int port = 0;
    Path portFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(optionValue(args, ++i));
        case "--port-file" -> portFile = Path.of(optionValue(args, ++i));
        case "-h", "--help" -> {
          usage(System.out);
          return;
        }
        default -> {
          System.err.println("unknown option: " + args[i]);
          usage(System.err);
          System.exit(2);
        }
      }
    }
    MockBedrockServer server = start(port);
    runUntilStopped(server, portFile, server.endpoint());
  }

  private static void usage(PrintStream out) {
    out.println("usage: java dev.aicost.testing.MockBedrockServer [--port N] [--port-file FILE]");
  }
}
