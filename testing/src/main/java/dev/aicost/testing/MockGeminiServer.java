package dev.aicost.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A Google Gemini HTTP server on 127.0.0.1 for tests and demos, speaking both dialects that google-genai uses:
 *
 * <ul>
 *   <li>the Gemini API: {@code POST /{version}/models/{model}:generateContent}, {@code :streamGenerateContent}
 *       ({@code ?alt=sse}), {@code :embedContent} and {@code :batchEmbedContents}, with the API key in
 *       {@code x-goog-api-key};
 *   <li>Vertex AI: {@code POST /{version}/projects/{project}/locations/{location}/publishers/google/models/{model}:}
 *       {@code generateContent}, {@code streamGenerateContent}, {@code predict} (embeddings) and
 *       {@code embedContent}, with an OAuth access token in {@code Authorization: Bearer}; the express-mode paths
 *       without {@code projects/…/locations/…} are accepted too.
 * </ul>
 *
 * <p>By default every request gets a deterministic reply whose usage follows the formula documented in
 * {@code docs/testing.md} ({@link #promptTokens(JsonNode)}). Tests script replies with {@link #enqueue(GeminiReply)}:
 * queued replies are served first-in first-out, one per request to a known endpoint. Every request is recorded.
 *
 * <p>Thread-safe; requests are served concurrently on a cached pool of daemon threads.
 */
public final class MockGeminiServer extends MockHttpServer<GeminiReply, MockGeminiServer> {

  /** The {@code modelVersion} the server reports for a requested model; any other model is echoed unchanged. */
  public static final Map<String, String> DEFAULT_MODEL_VERSIONS =
      Map.of(
          "gemini-2.0-flash", "gemini-2.0-flash-001",
          "gemini-2.0-flash-lite", "gemini-2.0-flash-lite-001",
          "gemini-1.5-pro", "gemini-1.5-pro-002",
          "gemini-1.5-flash", "gemini-1.5-flash-002");

  /** Candidates tokens of a default reply when the request sets no {@code maxOutputTokens}. */
  public static final int DEFAULT_CANDIDATES_TOKENS = 32;

  /** Candidates tokens per streamed chunk. */
  public static final int TOKENS_PER_CHUNK = 4;

  /** Dimensions of the embedding vectors the server returns. */
  public static final int EMBEDDING_DIMENSIONS = 8;

  private static final Pattern PATH =
      Pattern.compile(
          "/(?<version>v[0-9a-z]+)/(?:(?:projects/(?<project>[^/]+)/locations/(?<location>[^/]+)/)?"
              + "(?<publisher>publishers/google/))?models/(?<model>[^/:]+):(?<method>[A-Za-z]+)");
  private static final String ANSWER =
      "Gemini mock answer, deterministic and plain, four characters to a token. ";

  private final String apiKey;
  private final String accessToken;
  private final AtomicLong responseIds = new AtomicLong();

  private MockGeminiServer(Builder builder) throws IOException {
    super("MockGeminiServer", GeminiReply::success);
    this.apiKey = builder.apiKey;
    this.accessToken = builder.accessToken;
    listen(builder.port, "mock-gemini");
  }

  /** Starts a server with default settings on an ephemeral port. */
  public static MockGeminiServer start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------ public API

  /** {@code http://127.0.0.1:PORT}: the base URL for google-genai's {@code HttpOptions.baseUrl}. */
  public String baseUrl() {
    return rootUrl();
  }

  /** The {@code modelVersion} reported for a requested model. */
  public static String modelVersion(String requested) {
    return DEFAULT_MODEL_VERSIONS.getOrDefault(requested, requested);
  }

  @Override
  public String toString() {
    return "MockGeminiServer[" + baseUrl() + "]";
  }

  // ------------------------------------------------------------------ usage formula

  /**
   * Prompt tokens of a {@code generateContent} request: {@code ceil(chars / 4)} of each text part of
   * {@code systemInstruction} and {@code contents}, and of the compact JSON of every other part (function calls
   * and responses, inline data) and of {@code tools}.
   */
  public static int promptTokens(JsonNode request) {
    int tokens = 0;
    tokens += contentTokens(request.path("systemInstruction"));
    for (JsonNode content : request.path("contents")) {
      tokens += contentTokens(content);
    }
    if (request.path("tools").isArray() && !request.path("tools").isEmpty()) {
      tokens += ceilQuarter(Json.write(request.path("tools")).length());
    }
    return tokens;
  }

  private static int contentTokens(JsonNode content) {
    int tokens = 0;
    for (JsonNode part : content.path("parts")) {
      tokens += part.path("text").isTextual()
          ? ceilQuarter(part.path("text").asText().length())
          : ceilQuarter(Json.write(part).length());
    }
    return tokens;
  }

  /** Tokens of one embedded text: {@code max(1, ceil(chars / 4))}. */
  public static int embeddingTokens(String text) {
    return Math.max(1, ceilQuarter(text.length()));
  }

  private static int ceilQuarter(int chars) {
    return (chars + 3) / 4;
  }

  // ------------------------------------------------------------------ HTTP handling

  private record Route(boolean vertex, String project, String location, String model, String method) {}

  @Override
  void sendInternalError(HttpExchange exchange, String message, long startNanos) throws IOException {
    sendError(exchange, 500, "INTERNAL", message);
  }

  @Override
  void serve(HttpExchange exchange, long startNanos) throws IOException, InterruptedException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getPath();
    byte[] raw = exchange.getRequestBody().readAllBytes();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      raw = new GZIPInputStream(new ByteArrayInputStream(raw)).readAllBytes();
    }
    String body = new String(raw, StandardCharsets.UTF_8);
    record(exchange, method, path, body);

    Route route = route(method, path);
    if (route == null) {
      sendError(exchange, 404, "NOT_FOUND", "The requested URL " + path + " was not found on this server.");
      return;
    }
    if (!route.vertex() && apiKey != null) {
      String key = exchange.getRequestHeaders().getFirst("x-goog-api-key");
      if (!apiKey.equals(key)) {
        sendError(exchange, 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.");
        return;
      }
    }
    if (route.vertex() && accessToken != null
        && !("Bearer " + accessToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      sendError(exchange, 401, "UNAUTHENTICATED",
          "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other "
              + "valid authentication credential.");
      return;
    }

    GeminiReply reply = nextReply();
    JdkHttpServers.sleep(reply.delay);
    if (reply.kind == GeminiReply.Kind.ERROR) {
      sendError(exchange, reply.status, reply.errorStatus, reply.errorMessage);
      return;
    }
    boolean stream = route.method().equals("streamGenerateContent");
    if (reply.kind == GeminiReply.Kind.MALFORMED) {
      sendRaw(exchange, reply.raw, stream ? "text/event-stream" : "application/json; charset=UTF-8");
      return;
    }
    JsonNode request = Json.parseOrNull(body);
    if (request == null || !request.isObject()) {
      sendError(exchange, 400, "INVALID_ARGUMENT",
          "Invalid JSON payload received. Unexpected token.\n" + body.substring(0, Math.min(40, body.length())));
      return;
    }
    switch (route.method()) {
      case "generateContent", "streamGenerateContent" -> {
        if (!request.path("contents").isArray() || request.path("contents").isEmpty()) {
          sendError(exchange, 400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified");
          return;
        }
        generate(exchange, route, request, reply, stream);
      }
      case "batchEmbedContents", "embedContent", "predict" -> embed(exchange, route, request, reply);
      default -> sendError(exchange, 404, "NOT_FOUND",
          "Method " + route.method() + " is not supported by this mock (models/" + route.model() + ")");
    }
  }

  private static Route route(String method, String path) {
    if (!"POST".equals(method)) {
      return null;
    }
    Matcher m = PATH.matcher(path);
    if (!m.matches()) {
      return null;
    }
    String verb = m.group("method");
    boolean vertex = m.group("publisher") != null;
    List<String> verbs = vertex
        ? List.of("generateContent", "streamGenerateContent", "predict", "embedContent")
        : List.of("generateContent", "streamGenerateContent", "embedContent", "batchEmbedContents");
    if (!verbs.contains(verb)) {
      return null;
    }
    return new Route(vertex, m.group("project"), m.group("location"), m.group("model"), verb);
  }

  // ------------------------------------------------------------------ generateContent

  private void generate(HttpExchange exchange, Route route, JsonNode request, GeminiReply reply, boolean stream)
      throws IOException, InterruptedException {
    String version = reply.modelVersion != null ? reply.modelVersion : modelVersion(route.model());
    String responseId = responseId();
    String finish = reply.finishReason != null ? reply.finishReason : "STOP";
    String traffic = route.vertex() ? "ON_DEMAND" : null;
    int prompt = promptTokens(request);

    ObjectNode part = Json.object();
    GeminiUsage usage;
    String text = null;
    if (reply.kind == GeminiReply.Kind.FUNCTION_CALL) {
      ObjectNode call = part.putObject("functionCall");
      call.put("name", reply.functionName);
      call.set("args", Json.parseOrNull(reply.functionArgsJson));
      usage = reply.usage != null ? reply.usage : GeminiUsage.of(prompt, ceilQuarter(Json.write(call).length()));
    } else {
      int candidates;
      if (reply.usage != null) {
        usage = reply.usage;
        candidates = usage.candidatesTokens();
      } else {
        candidates = request.path("generationConfig").path("maxOutputTokens").asInt(DEFAULT_CANDIDATES_TOKENS);
        usage = GeminiUsage.of(prompt, reply.text != null ? ceilQuarter(reply.text.length()) : candidates);
      }
      text = reply.text != null ? reply.text : answer(Math.min(candidates, 4096));
      part.put("text", text);
    }

    if (!stream) {
      ObjectNode response = response(route, version, responseId, List.of(part), finish, usage.toJson(traffic));
      continuation(response, reply);
      if (reply.kind == GeminiReply.Kind.CUT_STREAM) {
        sendHalfAndAbort(exchange, Json.write(response));
        return;
      }
      sendJson(exchange, 200, response);
      return;
    }

    List<String> events = new ArrayList<>();
    if (text == null) {
      ObjectNode response = response(route, version, responseId, List.of(part), finish, usage.toJson(traffic));
      continuation(response, reply);
      events.add(event(response));
    } else {
      List<String> pieces = new ArrayList<>();
      for (int i = 0; i < text.length(); i += TOKENS_PER_CHUNK * 4) {
        pieces.add(text.substring(i, Math.min(text.length(), i + TOKENS_PER_CHUNK * 4)));
      }
      if (pieces.isEmpty()) {
        pieces.add("");
      }
      int sent = 0;
      for (int i = 0; i < pieces.size(); i++) {
        boolean last = i == pieces.size() - 1;
        sent += ceilQuarter(pieces.get(i).length());
        ObjectNode p = Json.object().put("text", pieces.get(i));
        // Google repeats the running usage on every chunk; the last chunk's is complete.
        GeminiUsage running = last ? usage : runningUsage(usage, sent);
        ObjectNode chunk =
            response(route, version, responseId, List.of(p), last ? finish : null, running.toJson(traffic));
        if (last) {
          continuation(chunk, reply);
        }
        events.add(event(chunk));
      }
    }
    if (reply.kind == GeminiReply.Kind.ERROR_EVENT) {
      List<String> cut = new ArrayList<>(events.subList(0, Math.min(reply.events, events.size())));
      ObjectNode error = Json.object();
      error.putObject("error").put("code", reply.status).put("message", reply.errorMessage)
          .put("status", reply.errorStatus);
      cut.add(event(error));
      sendSse(exchange, cut, reply, false);
      return;
    }
    if (reply.kind == GeminiReply.Kind.CUT_STREAM) {
      sendSse(exchange, events.subList(0, Math.min(reply.events, events.size())), reply, true);
      return;
    }
    sendSse(exchange, events, reply, false);
  }

  private static void continuation(ObjectNode response, GeminiReply reply) {
    if (reply.continuationToken != null) {
      ((ObjectNode) response.path("candidates").get(0)).put("continuationToken", reply.continuationToken);
    }
  }

  private static GeminiUsage runningUsage(GeminiUsage usage, int candidatesSoFar) {
    int c = Math.min(candidatesSoFar, usage.candidatesTokens());
    return new GeminiUsage(usage.promptTokens(), usage.cachedTokens(), c, 0, usage.toolUsePromptTokens(),
        usage.promptAudioTokens(), usage.cachedAudioTokens(), Math.min(usage.candidatesAudioTokens(), c));
  }

  private static ObjectNode response(Route route, String modelVersion, String responseId, List<ObjectNode> parts,
      String finishReason, ObjectNode usageMetadata) {
    ObjectNode r = Json.object();
    ArrayNode candidates = r.putArray("candidates");
    ObjectNode candidate = candidates.addObject();
    ObjectNode content = candidate.putObject("content");
    ArrayNode ps = content.putArray("parts");
    parts.forEach(ps::add);
    content.put("role", "model");
    if (finishReason != null) {
      candidate.put("finishReason", finishReason);
    }
    if (!route.vertex()) {
      candidate.put("index", 0);
    }
    r.set("usageMetadata", usageMetadata);
    r.put("modelVersion", modelVersion);
    if (route.vertex()) {
      r.put("createTime", Instant.now().truncatedTo(ChronoUnit.MICROS).toString());
    }
    r.put("responseId", responseId);
    return r;
  }

  private String responseId() {
    long n = responseIds.incrementAndGet();
    return "mock" + HexFormat.of().formatHex(sha256("response-" + n)).substring(0, 18);
  }

  private static String answer(int tokens) {
    StringBuilder sb = new StringBuilder(tokens * 4);
    while (sb.length() < tokens * 4) {
      sb.append(ANSWER);
    }
    sb.setLength(tokens * 4);
    return sb.toString();
  }

  private static String event(JsonNode data) {
    return "data: " + Json.write(data) + "\r\n\r\n";
  }

  // ------------------------------------------------------------------ embeddings

  private static void embed(HttpExchange exchange, Route route, JsonNode request, GeminiReply reply)
      throws IOException {
    ObjectNode response = Json.object();
    switch (route.method()) {
      case "batchEmbedContents" -> {
        // The Gemini API reports no token usage for embeddings.
        ArrayNode embeddings = response.putArray("embeddings");
        for (JsonNode r : request.path("requests")) {
          embeddings.addObject().set("values", vector(route.model(), text(r.path("content"))));
        }
      }
      case "embedContent" -> {
        String text = text(request.path("content"));
        if (route.vertex()) {
          response.putObject("embedding").set("values", vector(route.model(), text));
          response.putObject("usageMetadata").put("promptTokenCount", embeddingTokens(text))
              .put("totalTokenCount", embeddingTokens(text));
          response.put("truncated", false);
        } else {
          response.putObject("embedding").set("values", vector(route.model(), text));
        }
      }
      default -> { // Vertex AI predict: a token count and a billable character count per instance
        ArrayNode predictions = response.putArray("predictions");
        int characters = 0;
        for (JsonNode instance : request.path("instances")) {
          String text = instance.path("content").asText("");
          characters += text.replaceAll("\\s", "").length();
          ObjectNode e = predictions.addObject().putObject("embeddings");
          e.putObject("statistics").put("truncated", false).put("token_count", embeddingTokens(text));
          e.set("values", vector(route.model(), text));
        }
        response.putObject("metadata").put("billableCharacterCount", characters);
      }
    }
    if (reply.kind == GeminiReply.Kind.CUT_STREAM) {
      sendHalfAndAbort(exchange, Json.write(response));
      return;
    }
    sendJson(exchange, 200, response);
  }

  private static String text(JsonNode content) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content.path("parts")) {
      sb.append(part.path("text").asText(""));
    }
    return sb.toString();
  }

  /** A deterministic unit vector seeded by SHA-256 of the model and the text. */
  private static ArrayNode vector(String model, String text) {
    byte[] seed = sha256(model + "\n" + text);
    double[] v = new double[EMBEDDING_DIMENSIONS];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = (seed[i] & 0xff) / 255.0 - 0.5;
      norm += v[i] * v[i];
    }
    norm = Math.sqrt(norm);
    ArrayNode a = Json.array();
    for (double d : v) {
      a.add((float) (d / norm));
    }
    return a;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ wire

  /** Google's error body: {@code {"error":{"code":429,"message":"…","status":"RESOURCE_EXHAUSTED"}}}. */
  static ObjectNode errorBody(int code, String status, String message) {
    ObjectNode body = Json.object();
    body.putObject("error").put("code", code).put("message", message).put("status", status);
    return body;
  }

  private static void sendError(HttpExchange exchange, int code, String status, String message) throws IOException {
    sendJson(exchange, code, errorBody(code, status, message));
  }

  private static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.getResponseHeaders().set("Vary", "Origin, X-Origin, Referer");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sendRaw(HttpExchange exchange, String body, String contentType) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sendHalfAndAbort(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(200, bytes.length);
    OutputStream out = exchange.getResponseBody();
    out.write(bytes, 0, bytes.length / 2);
    out.flush();
    throw new JdkHttpServers.AbortConnection();
  }

  private static void sendSse(HttpExchange exchange, List<String> events, GeminiReply reply, boolean cut)
      throws IOException, InterruptedException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Content-Disposition", "attachment");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        JdkHttpServers.sleep(reply.eventDelay);
      }
      out.write(events.get(i).getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    if (cut) {
      throw new JdkHttpServers.AbortConnection();
    }
    out.close();
  }


  // ------------------------------------------------------------------ builder

  /** Builder for {@link MockGeminiServer}. */
  public static final class Builder {
    private int port;
    private String apiKey;
    private String accessToken;

    private Builder() {}

    /** The port to listen on (default 0: an ephemeral port). The server always binds 127.0.0.1. */
    public Builder port(int port) {
      this.port = JdkHttpServers.checkPort(port);
      return this;
    }

    /** Gemini API requests must carry {@code x-goog-api-key: key} (else 400 {@code INVALID_ARGUMENT}). */
    public Builder requireApiKey(String key) {
      this.apiKey = Objects.requireNonNull(key);
      return this;
    }

    /** Vertex AI requests must carry {@code Authorization: Bearer token} (else 401 {@code UNAUTHENTICATED}). */
    public Builder requireAccessToken(String token) {
      this.accessToken = Objects.requireNonNull(token);
      return this;
    }

    public MockGeminiServer start() {
      try {
        return new MockGeminiServer(this);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot start MockGeminiServer", e);
      }
    }
  }
}
