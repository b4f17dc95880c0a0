package dev.aicost.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * An Anthropic Messages API server on 127.0.0.1 for tests and demos, speaking three dialects of the same API:
 *
 * <ul>
 *   <li><b>Anthropic</b>: {@code POST /v1/messages} (JSON, or SSE when the body says {@code "stream": true}) and
 *       {@code POST /v1/messages/count_tokens}; base URL {@link #baseUrl()}.
 *   <li><b>Amazon Bedrock</b> (what anthropic-java's {@code BedrockBackend} calls): {@code POST
 *       /model/{modelId}/invoke} (JSON) and {@code /model/{modelId}/invoke-with-response-stream} (AWS event stream:
 *       each frame a {@code chunk} event whose {@code bytes} hold one Anthropic event, base64). Requests must carry
 *       a SigV4 {@code Authorization} header (any credentials are accepted) or a bearer API key; base URL
 *       {@link #bedrockBaseUrl()}.
 *   <li><b>Google Vertex AI</b> (what {@code VertexBackend} calls): {@code POST
 *       /v1/projects/{project}/locations/{region}/publishers/anthropic/models/{model}:rawPredict} and
 *       {@code :streamRawPredict} (SSE), with a bearer token; base URL {@link #vertexBaseUrl()}.
 * </ul>
 *
 * <p>By default every message gets a deterministic reply: input tokens from the request's text (4 characters a
 * token, see {@link UsageFormula}), 64 output tokens (fewer if {@code max_tokens} says so, then
 * {@code stop_reason: max_tokens}), extended thinking when the request enables it (three thinking tokens per visible
 * one, within {@code budget_tokens}), one web search request when the request offers the web search tool, and
 * Anthropic's explicit prompt caching: the prefix up to the last {@code cache_control} breakpoint (tools, then
 * system, then messages), if at least 1,024 tokens, is written to the cache on first use (5 minutes, or 1 hour with
 * {@code "ttl": "1h"}) and read on later requests with the same prefix and model before it expires. Scripted
 * {@link AnthropicReply replies} are served first-in first-out, one per message request, before that.
 */
public final class MockAnthropicServer extends MockHttpServer<AnthropicReply, MockAnthropicServer> {

  /** Aliases and the dated snapshot the API reports for them. */
  public static final Map<String, String> DEFAULT_SNAPSHOTS =
      Map.ofEntries(
          Map.entry("claude-opus-4-1", "claude-opus-4-1-20250805"),
          Map.entry("claude-opus-4-0", "claude-opus-4-20250514"),
          Map.entry("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
          Map.entry("claude-sonnet-4-0", "claude-sonnet-4-20250514"),
          Map.entry("claude-haiku-4-5", "claude-haiku-4-5-20251001"),
          Map.entry("claude-3-7-sonnet-latest", "claude-3-7-sonnet-20250219"),
          Map.entry("claude-3-5-haiku-latest", "claude-3-5-haiku-20241022"));

  /** The smallest prefix the cache stores, in tokens. */
  public static final int CACHE_MIN_PREFIX_TOKENS = 1024;

  static final int DEFAULT_OUTPUT_TOKENS = 64;
  private static final int MESSAGE_OVERHEAD_TOKENS = 4;
  private static final int IMAGE_TOKENS = 1600;

  private static final Pattern BEDROCK_PATH = Pattern.compile("^/model/([^/]+)/(invoke|invoke-with-response-stream)$");
  private static final Pattern VERTEX_PATH =
      Pattern.compile("^/v1/projects/([^/]+)/locations/([^/]+)/publishers/anthropic/models/([^/:]+):(rawPredict|streamRawPredict)$");
  private static final Pattern BEDROCK_MODEL = Pattern.compile("^(?:[a-z]{2,4}\\.)?anthropic\\.(.+?)(?:-v\\d+(?::\\d+)?)?$");

  private enum Platform {
    ANTHROPIC(""),
    BEDROCK("bdrk_"),
    VERTEX("vrtx_");

    final String idPrefix;

    Platform(String idPrefix) {
      this.idPrefix = idPrefix;
    }
  }

  private final Map<String, String> snapshots;
  private final Clock clock;
  private final Map<String, Instant> cache = new ConcurrentHashMap<>();

  private MockAnthropicServer(Builder builder) throws IOException {
    super("MockAnthropicServer", AnthropicReply::success);
    this.snapshots = Map.copyOf(builder.snapshots);
    this.clock = builder.clock;
    listen(builder.port, "mock-anthropic");
  }

  public static MockAnthropicServer start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------ public API

  /** {@code http://127.0.0.1:PORT}: the Anthropic client's base URL (the SDK appends {@code /v1/messages}). */
  public String baseUrl() {
    return rootUrl();
  }

  /** The base URL for anthropic-java's {@code BedrockBackend}. */
  public String bedrockBaseUrl() {
    return baseUrl();
  }

  /** The base URL for anthropic-java's {@code VertexBackend}. */
  public String vertexBaseUrl() {
    return baseUrl();
  }

  /** The requests received so far whose path is {@code path}. */
  public List<RecordedRequest> requests(String path) {
    return requests.withPath(path);
  }

  /** The model the API reports for a requested one: alias → snapshot; Bedrock and Vertex ids → Anthropic's. */
  public String resolveModel(String requested) {
    Matcher bedrock = BEDROCK_MODEL.matcher(requested);
    String name = requested;
    if (bedrock.matches()) {
      name = bedrock.group(1);
    } else if (requested.contains("@")) {
      name = requested.replace('@', '-');
    }
    return snapshots.getOrDefault(name, name);
  }

  /** Forgets every cached prompt prefix. */
  public void clearPromptCache() {
    cache.clear();
  }

  /** Clears queued replies, recorded requests and the prompt cache. */
  @Override
  public void reset() {
    super.reset();
    cache.clear();
  }

  @Override
  public String toString() {
    return "MockAnthropicServer[" + baseUrl() + "]";
  }

  // ------------------------------------------------------------------ request handling

  private record Route(Platform platform, String model, boolean stream, boolean countTokens) {}

  @Override
  void sendInternalError(HttpExchange exchange, String message, long startNanos) throws IOException {
    sendJson(exchange, 500, AnthropicWire.errorBody("api_error", message, AnthropicWire.requestId()), Map.of());
  }

  @Override
  void serve(HttpExchange exchange, long startNanos) throws IOException, InterruptedException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    record(exchange, method, path, body);
    Route route = route(method, path, body);
    if (route == null) {
      sendJson(exchange, 404, AnthropicWire.errorBody("not_found_error", "Not found: " + method + " " + path,
          AnthropicWire.requestId()), Map.of());
      return;
    }
    String authProblem = authProblem(route.platform(), exchange.getRequestHeaders());
    if (authProblem != null) {
      if (route.platform() == Platform.BEDROCK) {
        sendBedrockError(exchange, 403, authProblem, Map.of());
      } else {
        sendJson(exchange, 401, AnthropicWire.errorBody("authentication_error", authProblem,
            AnthropicWire.requestId()), Map.of());
      }
      return;
    }
    JsonNode request = Json.parseOrNull(body);
    if (request == null || !request.isObject()) {
      sendError(exchange, route.platform(), 400, "invalid_request_error",
          "There was an error parsing the body of your request as JSON.", Map.of());
      return;
    }
    String problem = validate(route, request);
    if (problem != null) {
      sendError(exchange, route.platform(), 400, "invalid_request_error", problem, Map.of());
      return;
    }
    if (route.countTokens()) {
      ObjectNode count = Json.object();
      count.put("input_tokens", prompt(route.model(), request).total());
      sendJson(exchange, 200, count, Map.of());
      return;
    }
    AnthropicReply reply = nextReply();
    JdkHttpServers.sleep(reply.delay());
    if (reply.kind() == AnthropicReply.Kind.ERROR) {
      sendError(exchange, route.platform(), reply.status(), reply.errorType(), reply.errorMessage(),
          reply.headers());
      return;
    }
    AnthropicWire.MessagePlan plan = plan(route, request, reply);
    if (!route.stream()) {
      sendMessage(exchange, route.platform(), plan, reply);
    } else if (route.platform() == Platform.BEDROCK) {
      sendEventStream(exchange, AnthropicWire.streamEvents(plan, false), reply);
    } else {
      sendSse(exchange, AnthropicWire.streamEvents(plan, true), reply);
    }
  }

  private static Route route(String method, String path, String body) {
    if (!"POST".equals(method)) {
      return null;
    }
    if (path.equals("/v1/messages") || path.equals("/v1/messages/count_tokens")) {
      JsonNode request = Json.parseOrNull(body);
      String model = request == null ? "" : request.path("model").asText("");
      boolean stream = request != null && request.path("stream").asBoolean(false);
      return new Route(Platform.ANTHROPIC, model, stream, path.endsWith("/count_tokens"));
    }
    Matcher bedrock = BEDROCK_PATH.matcher(path);
    if (bedrock.matches()) {
      return new Route(Platform.BEDROCK, bedrock.group(1), bedrock.group(2).equals("invoke-with-response-stream"),
          false);
    }
    Matcher vertex = VERTEX_PATH.matcher(path);
    if (vertex.matches()) {
      return new Route(Platform.VERTEX, vertex.group(3), vertex.group(4).equals("streamRawPredict"), false);
    }
    return null;
  }

  /** Null when the request is authenticated the way its platform requires (any credentials are accepted). */
  private static String authProblem(Platform platform, Headers headers) {
    String authorization = Optional.ofNullable(headers.getFirst("Authorization")).orElse("");
    switch (platform) {
      case BEDROCK:
        if (authorization.startsWith("AWS4-HMAC-SHA256 Credential=") && headers.getFirst("X-Amz-Date") != null) {
          return null;
        }
        return authorization.startsWith("Bearer ") ? null : "Missing Authentication Token";
      case VERTEX:
        return authorization.startsWith("Bearer ")
            ? null
            : "Request is missing required authentication credential. Expected OAuth 2 access token.";
      default:
        return headers.getFirst("x-api-key") != null || authorization.startsWith("Bearer ")
            ? null
            : "x-api-key header is required";
    }
  }

  private static String validate(Route route, JsonNode request) {
    if (route.platform() == Platform.ANTHROPIC && route.model().isEmpty()) {
      return "model: Field required";
    }
    if (route.platform() != Platform.ANTHROPIC && !request.path("anthropic_version").isTextual()) {
      return "anthropic_version: Field required";
    }
    if (!route.countTokens() && !request.path("max_tokens").canConvertToLong()) {
      return "max_tokens: Field required";
    }
    JsonNode messages = request.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      return "messages: at least one message is required";
    }
    return null;
  }

  // ------------------------------------------------------------------ usage

  /** The request's input tokens and its cacheable prefix (up to the last {@code cache_control} breakpoint). */
  record Prompt(long total, long prefix, String prefixKey, boolean oneHour) {}

  static Prompt prompt(String model, JsonNode request) {
    StringBuilder canonical = new StringBuilder(model).append('\n');
    long[] tokens = {3};
    long[] prefix = {0};
    String[] key = {null};
    boolean[] oneHour = {false};
    java.util.function.BiConsumer<JsonNode, Long> block =
        (node, count) -> {
          tokens[0] += count;
          ObjectNode copy = node.isObject() ? ((ObjectNode) node).deepCopy() : null;
          if (copy != null) {
            copy.remove("cache_control");
          }
          canonical.append(copy == null ? node.toString() : Json.write(copy)).append('\n');
          JsonNode control = node.path("cache_control");
          if (control.isObject()) {
            prefix[0] = tokens[0];
            key[0] = sha256(canonical.toString());
            oneHour[0] = "1h".equals(control.path("ttl").asText());
          }
        };
    for (JsonNode tool : request.path("tools")) {
      block.accept(tool, UsageFormula.textTokens(tool.toString()));
    }
    JsonNode system = request.path("system");
    if (system.isTextual()) {
      block.accept(system, UsageFormula.textTokens(system.asText()));
    }
    for (JsonNode b : system.isArray() ? system : Json.array()) {
      block.accept(b, blockTokens(b));
    }
    for (JsonNode message : request.path("messages")) {
      tokens[0] += MESSAGE_OVERHEAD_TOKENS;
      canonical.append(message.path("role").asText()).append(':');
      JsonNode content = message.path("content");
      if (content.isTextual()) {
        block.accept(content, UsageFormula.textTokens(content.asText()));
      }
      for (JsonNode b : content.isArray() ? content : Json.array()) {
        block.accept(b, blockTokens(b));
      }
    }
    return new Prompt(tokens[0], prefix[0], key[0], oneHour[0]);
  }

  private static long blockTokens(JsonNode b) {
    switch (b.path("type").asText()) {
      case "text":
        return UsageFormula.textTokens(b.path("text").asText());
      case "image":
      case "document":
        return IMAGE_TOKENS;
      case "thinking":
        return UsageFormula.textTokens(b.path("thinking").asText());
      default:
        return UsageFormula.textTokens(b.toString());
    }
  }

  private AnthropicWire.MessagePlan plan(Route route, JsonNode request, AnthropicReply reply) {
    String model = resolveModel(route.model());
    String id = AnthropicWire.messageId(route.platform().idPrefix);
    long maxTokens = request.path("max_tokens").asLong(DEFAULT_OUTPUT_TOKENS);
    Optional<AnthropicTokenUsage> scripted = reply.usage();
    if (scripted.isPresent()) {
      AnthropicTokenUsage u = scripted.get();
      String text = reply.text().orElseGet(() -> UsageFormula.generatedText(u.outputTokens()));
      return new AnthropicWire.MessagePlan(id, model, null, text, reply.stopReason(), u);
    }
    Prompt prompt = prompt(route.model(), request);
    long read = 0;
    long write5m = 0;
    long write1h = 0;
    if (prompt.prefixKey() != null && prompt.prefix() >= CACHE_MIN_PREFIX_TOKENS) {
      Instant now = clock.instant();
      Instant expiry = cache.get(prompt.prefixKey());
      Duration ttl = prompt.oneHour() ? Duration.ofHours(1) : Duration.ofMinutes(5);
      if (expiry != null && expiry.isAfter(now)) {
        read = prompt.prefix();
      } else if (prompt.oneHour()) {
        write1h = prompt.prefix();
      } else {
        write5m = prompt.prefix();
      }
      cache.put(prompt.prefixKey(), now.plus(ttl));
    }
    String text = reply.text().orElse(null);
    long visible = text != null ? UsageFormula.textTokens(text) : Math.min(maxTokens, DEFAULT_OUTPUT_TOKENS);
    String stopReason = text == null && maxTokens < DEFAULT_OUTPUT_TOKENS ? "max_tokens" : reply.stopReason();
    if (text == null) {
      text = UsageFormula.generatedText(visible);
    }
    JsonNode thinkingConfig = request.path("thinking");
    String thinking = null;
    long thinkingTokens = 0;
    if ("enabled".equals(thinkingConfig.path("type").asText())) {
      thinkingTokens = Math.min(thinkingConfig.path("budget_tokens").asLong(1024), 3 * visible);
      thinking = UsageFormula.generatedText(thinkingTokens);
    }
    long webSearches = 0;
    for (JsonNode tool : request.path("tools")) {
      if (tool.path("type").asText().startsWith("web_search_")) {
        webSearches = 1;
      }
    }
    AnthropicTokenUsage usage = new AnthropicTokenUsage(
        prompt.total() - read - write5m - write1h, read, write5m, write1h, visible + thinkingTokens, webSearches);
    return new AnthropicWire.MessagePlan(id, model, thinking, text, stopReason, usage);
  }

  // ------------------------------------------------------------------ writing

  private static void addHeaders(Headers h, Platform platform, Map<String, String> extra) {
    if (platform == Platform.BEDROCK) {
      h.set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    } else {
      h.set("request-id", AnthropicWire.requestId());
      h.set("anthropic-organization-id", "00000000-0000-4000-8000-00000000a1c0");
      h.set("anthropic-ratelimit-requests-limit", "4000");
      h.set("anthropic-ratelimit-requests-remaining", "3999");
      h.set("anthropic-ratelimit-input-tokens-limit", "2000000");
      h.set("anthropic-ratelimit-output-tokens-limit", "400000");
    }
    extra.forEach(h::set);
  }

  private static void sendJson(HttpExchange exchange, int status, JsonNode body, Map<String, String> extra)
      throws IOException {
    sendBytes(exchange, status, "application/json", Json.write(body).getBytes(StandardCharsets.UTF_8),
        Platform.ANTHROPIC, extra);
  }

  private static void sendBytes(HttpExchange exchange, int status, String contentType, byte[] bytes,
      Platform platform, Map<String, String> extra) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    addHeaders(exchange.getResponseHeaders(), platform, extra);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sendError(HttpExchange exchange, Platform platform, int status, String type, String message,
      Map<String, String> extra) throws IOException {
    if (platform == Platform.BEDROCK) {
      sendBedrockError(exchange, status, message, extra);
      return;
    }
    byte[] bytes = Json.write(AnthropicWire.errorBody(type, message, AnthropicWire.requestId()))
        .getBytes(StandardCharsets.UTF_8);
    sendBytes(exchange, status, "application/json", bytes, platform, extra);
  }

  /** Bedrock's error: {@code {"message": ...}} with the exception's name in {@code x-amzn-ErrorType}. */
  private static void sendBedrockError(HttpExchange exchange, int status, String message, Map<String, String> extra)
      throws IOException {
    ObjectNode body = Json.object();
    body.put("message", message);
    Map<String, String> headers = new LinkedHashMap<>(extra);
    headers.put("x-amzn-ErrorType", bedrockException(status) + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
    sendBytes(exchange, status, "application/json", Json.write(body).getBytes(StandardCharsets.UTF_8),
        Platform.BEDROCK, headers);
  }

  private static String bedrockException(int status) {
    switch (status) {
      case 400:
        return "ValidationException";
      case 403:
        return "AccessDeniedException";
      case 404:
        return "ResourceNotFoundException";
      case 429:
        return "ThrottlingException";
      case 503:
      case 529:
        return "ServiceUnavailableException";
      default:
        return status >= 500 ? "InternalServerException" : "ValidationException";
    }
  }

  private static void sendMessage(HttpExchange exchange, Platform platform, AnthropicWire.MessagePlan plan,
      AnthropicReply reply) throws IOException {
    byte[] bytes = Json.write(AnthropicWire.message(plan)).getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>(reply.headers());
    if (platform == Platform.BEDROCK) {
      headers.put("X-Amzn-Bedrock-Input-Token-Count", Long.toString(plan.usage().totalInputTokens()));
      headers.put("X-Amzn-Bedrock-Output-Token-Count", Long.toString(plan.usage().outputTokens()));
    }
    if (reply.cutAfter() < 0) {
      sendBytes(exchange, 200, "application/json", bytes, platform, headers);
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    addHeaders(exchange.getResponseHeaders(), platform, headers);
    exchange.sendResponseHeaders(200, bytes.length);
    OutputStream out = exchange.getResponseBody();
    out.write(bytes, 0, bytes.length / 2);
    out.flush();
    throw new JdkHttpServers.AbortConnection();
  }

  private static void sendSse(HttpExchange exchange, List<ObjectNode> events, AnthropicReply reply)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    addHeaders(exchange.getResponseHeaders(), Platform.ANTHROPIC, reply.headers());
    streamFrames(exchange, events, reply,
        event -> AnthropicWire.sse(event).getBytes(StandardCharsets.UTF_8),
        () -> AnthropicWire.sse(AnthropicWire.errorBody(reply.errorType(), reply.errorMessage(), null))
            .getBytes(StandardCharsets.UTF_8));
  }

  /** Bedrock's {@code application/vnd.amazon.eventstream}: one binary frame per Anthropic event. */
  private static void sendEventStream(HttpExchange exchange, List<ObjectNode> events, AnthropicReply reply)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.amazon.eventstream");
    exchange.getResponseHeaders().set("x-amzn-bedrock-content-type", "application/json");
    addHeaders(exchange.getResponseHeaders(), Platform.BEDROCK, reply.headers());
    streamFrames(exchange, events, reply, MockAnthropicServer::bedrockChunk,
        () -> bedrockException(reply.errorType(), reply.errorMessage()));
  }

  /** Writes one frame per event, honouring the reply's cut (dropped connection) and error (last frame) points. */
  private static void streamFrames(HttpExchange exchange, List<ObjectNode> events, AnthropicReply reply,
      java.util.function.Function<ObjectNode, byte[]> frame, java.util.function.Supplier<byte[]> errorFrame)
      throws IOException {
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    for (int i = 0; i < events.size(); i++) {
      if (i == reply.cutAfter()) {
        out.flush();
        throw new JdkHttpServers.AbortConnection();
      }
      if (i == reply.streamErrorAfter()) {
        out.write(errorFrame.get());
        break;
      }
      out.write(frame.apply(events.get(i)));
      out.flush();
    }
    out.close();
  }

  static byte[] bedrockChunk(JsonNode event) {
    ObjectNode payload = Json.object();
    payload.put("bytes", Base64.getEncoder().encodeToString(Json.write(event).getBytes(StandardCharsets.UTF_8)));
    payload.put("p", "abcdefgh"); // Bedrock pads each frame with a filler field of varying length
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":event-type", HeaderValue.fromString("chunk"));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("event"));
    return encode(new Message(headers, Json.write(payload).getBytes(StandardCharsets.UTF_8)));
  }

  /** An exception frame as Bedrock ends a failing stream with, e.g. {@code throttlingException}. */
  static byte[] bedrockException(String anthropicErrorType, String message) {
    String type;
    switch (anthropicErrorType) {
      case "rate_limit_error":
        type = "throttlingException";
        break;
      case "overloaded_error":
        type = "serviceUnavailableException";
        break;
      case "invalid_request_error":
        type = "validationException";
        break;
      default:
        type = "internalServerException";
    }
    ObjectNode payload = Json.object();
    payload.put("message", message);
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":exception-type", HeaderValue.fromString(type));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("exception"));
    return encode(new Message(headers, Json.write(payload).getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] encode(Message message) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    message.encode(bytes);
    return bytes.toByteArray();
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ builder

  public static final class Builder {
    private int port;
    private final Map<String, String> snapshots = new LinkedHashMap<>(DEFAULT_SNAPSHOTS);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder port(int port) {
      this.port = JdkHttpServers.checkPort(port);
      return this;
    }

    public Builder modelSnapshot(String alias, String snapshot) {
      snapshots.put(Objects.requireNonNull(alias), Objects.requireNonNull(snapshot));
      return this;
    }

    /** The clock that expires cached prefixes (tests of the 5-minute and 1-hour lifetimes). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    public MockAnthropicServer start() {
      try {
        return new MockAnthropicServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start MockAnthropicServer", e);
      }
    }
  }

  // ------------------------------------------------------------------ standalone

  /** Runs until the JVM stops: {@code --port N}, {@code --port-file FILE}. Prints the base URL. */
  public static void main(String[] args) throws Exception {
    Builder builder = builder();
    Path portFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> builder.port(Integer.parseInt(optionValue(args, ++i)));
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
    MockAnthropicServer server = builder.start();
    runUntilStopped(server, portFile, server.baseUrl());
  }

  private static void usage(PrintStream out) {
    out.println("usage: java dev.aicost.testing.MockAnthropicServer [--port N] [--port-file FILE]");
  }
}
