package dev.aicost.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * An OpenAI-compatible HTTP server on 127.0.0.1 for tests and demos: {@code POST /v1/chat/completions} (JSON and
 * SSE), {@code POST /v1/responses} (JSON and SSE), {@code POST /v1/embeddings} (float and base64) and
 * {@code GET /v1/models}. The same endpoints are served the Azure OpenAI way: under
 * {@code /openai/deployments/{deployment}/...} (an {@code api-version} query parameter is required, the deployment
 * picks the model, see {@link Builder#azureDeployment}) and under the v1 API {@code /openai/v1/...}; Azure's
 * {@code api-key} header is accepted where a key is required.
 *
 * <p>By default every request gets a deterministic, realistic reply whose usage follows {@link UsageFormula}
 * (including OpenAI-like prompt caching). Tests script replies with {@link #enqueue(MockReply)}: queued replies are
 * served first-in first-out, one per request to a known endpoint, before the default behaviour resumes. Every
 * request is recorded ({@link #requests()}).
 *
 * <pre>{@code
 * try (MockOpenAiServer server = MockOpenAiServer.start()) {
 *   OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("sk-test").build();
 *   server.enqueue(MockReply.usage(TokenUsage.of(1200, 300)));
 *   client.chat().completions().create(params);
 *   assertThat(server.lastRequest().header("authorization")).contains("Bearer sk-test");
 * }
 * }</pre>
 *
 * <p>Thread-safe; requests are served concurrently on a cached pool of daemon threads.
 */
public final class MockOpenAiServer extends MockHttpServer<MockReply, MockOpenAiServer> {

  /**
   * The snapshot OpenAI reports in {@code model} for an alias, as of this writing. A request model that is not a key
   * here is echoed unchanged.
   */
  public static final Map<String, String> DEFAULT_SNAPSHOTS =
      Collections.unmodifiableMap(
          new LinkedHashMap<>(
              Map.ofEntries(
                  Map.entry("gpt-4o", "gpt-4o-2024-08-06"),
                  Map.entry("gpt-4o-mini", "gpt-4o-mini-2024-07-18"),
                  Map.entry("gpt-4.1", "gpt-4.1-2025-04-14"),
                  Map.entry("gpt-4.1-mini", "gpt-4.1-mini-2025-04-14"),
                  Map.entry("gpt-4.1-nano", "gpt-4.1-nano-2025-04-14"),
                  Map.entry("gpt-4-turbo", "gpt-4-turbo-2024-04-09"),
                  Map.entry("gpt-4", "gpt-4-0613"),
                  Map.entry("gpt-3.5-turbo", "gpt-3.5-turbo-0125"),
                  Map.entry("o1", "o1-2024-12-17"),
                  Map.entry("o1-mini", "o1-mini-2024-09-12"),
                  Map.entry("o3", "o3-2025-04-16"),
                  Map.entry("o3-mini", "o3-mini-2025-01-31"),
                  Map.entry("o4-mini", "o4-mini-2025-04-16"),
                  Map.entry("gpt-5", "gpt-5-2025-08-07"),
                  Map.entry("gpt-5-mini", "gpt-5-mini-2025-08-07"),
                  Map.entry("gpt-5-nano", "gpt-5-nano-2025-08-07"),
                  Map.entry("text-embedding-ada-002", "text-embedding-ada-002-v2"))));

  private static final String CHAT_PATH = "/v1/chat/completions";
  private static final String RESPONSES_PATH = "/v1/responses";
  private static final String EMBEDDINGS_PATH = "/v1/embeddings";
  private static final String MODELS_PATH = "/v1/models";
  private static final int MAX_STORED_CONVERSATIONS = 1000;
  private static final java.util.regex.Pattern AZURE_DEPLOYMENT_PATH =
      java.util.regex.Pattern.compile("^/openai/deployments/([^/]+)/(chat/completions|responses|embeddings)$");
  private static final String AZURE_V1_PREFIX = "/openai/v1/";

  private final Map<String, String> snapshots;
  private final Map<String, String> azureDeployments;
  private final String apiKey;
  private final boolean promptCaching;
  private final PromptCache promptCache = new PromptCache();
  private final Map<String, List<String>> conversations =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
              return size() > MAX_STORED_CONVERSATIONS;
            }
          });

  private MockOpenAiServer(Builder builder) throws IOException {
    super("MockOpenAiServer", MockReply::success);
    this.snapshots = Map.copyOf(builder.snapshots);
    this.azureDeployments = Map.copyOf(builder.azureDeployments);
    this.apiKey = builder.apiKey;
    this.promptCaching = builder.promptCaching;
    listen(builder.port, "mock-openai");
  }

  /** Starts a server with default settings on an ephemeral port. */
  public static MockOpenAiServer start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------ public API

  /** {@code http://127.0.0.1:PORT/v1}: the base URL to configure an OpenAI client with. */
  public String baseUrl() {
    return rootUrl() + "/v1";
  }

  /** The requests received so far whose path is {@code path} (e.g. {@code "/v1/chat/completions"}). */
  public List<RecordedRequest> requests(String path) {
    return requests.withPath(path);
  }

  /** The model name the server reports for a requested model (alias → dated snapshot, else unchanged). */
  public String resolveModel(String requested) {
    return snapshots.getOrDefault(requested, requested);
  }

  /** Forgets all remembered prompts: the next request sees no cache hit. */
  public void clearPromptCache() {
    promptCache.clear();
  }

  /** Clears queued replies, recorded requests, the prompt cache and stored Responses conversations. */
  @Override
  public void reset() {
    super.reset();
    promptCache.clear();
    conversations.clear();
  }

  @Override
  public String toString() {
    return "MockOpenAiServer[" + baseUrl() + "]";
  }

  // ------------------------------------------------------------------ HTTP handling

  @Override
  void sendInternalError(HttpExchange exchange, String message, long startNanos) throws IOException {
    sendJson(exchange, 500, OpenAiWire.errorBody(message, "server_error", null, null), Map.of(), startNanos);
  }

  @Override
  void serve(HttpExchange exchange, long startNanos) throws IOException, InterruptedException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getPath();
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    byte[] raw = exchange.getRequestBody().readAllBytes();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      raw = new GZIPInputStream(new ByteArrayInputStream(raw)).readAllBytes();
    }
    String body = new String(raw, StandardCharsets.UTF_8);
    record(exchange, method, path, body);

    // Azure OpenAI: /openai/deployments/{deployment}/... (needs ?api-version=) and the v1 API under /openai/v1/...
    String deployment = null;
    boolean azure = false;
    java.util.regex.Matcher deploymentPath = AZURE_DEPLOYMENT_PATH.matcher(path);
    if (deploymentPath.matches()) {
      if (!hasQueryParameter(exchange.getRequestURI().getRawQuery(), "api-version")) {
        sendJson(exchange, 404, azureError("404", "Resource not found"), Map.of(), startNanos);
        return;
      }
      deployment = deploymentPath.group(1);
      path = "/v1/" + deploymentPath.group(2);
      azure = true;
    } else if (path.startsWith(AZURE_V1_PREFIX)) {
      path = "/v1/" + path.substring(AZURE_V1_PREFIX.length());
      azure = true;
    }

    boolean known =
        ("POST".equals(method) && (path.equals(CHAT_PATH) || path.equals(RESPONSES_PATH)
            || path.equals(EMBEDDINGS_PATH)))
            || ("GET".equals(method) && path.equals(MODELS_PATH));
    if (!known) {
      sendError(exchange, 404, "invalid_request_error", null, null, "Invalid URL (" + method + " " + path + ")",
          Map.of(), startNanos);
      return;
    }
    if (apiKey != null && azure && !apiKey.equals(exchange.getRequestHeaders().getFirst("api-key"))
        && !("Bearer " + apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      sendJson(exchange, 401, azureError("401",
          "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for "
              + "an active subscription and use a correct regional API endpoint for your resource."),
          Map.of(), startNanos);
      return;
    }
    if (apiKey != null && !azure
        && !("Bearer " + apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      String message =
          authorization == null
              ? "You didn't provide an API key. You need to provide your API key in an Authorization header using "
                  + "Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
              : "Incorrect API key provided. You can find your API key at "
                  + "https://platform.openai.com/account/api-keys.";
      sendError(exchange, 401, "invalid_request_error", null, authorization == null ? null : "invalid_api_key",
          message, Map.of(), startNanos);
      return;
    }
    if (path.equals(MODELS_PATH)) {
      sendJson(exchange, 200, modelsList(), Map.of(), startNanos);
      return;
    }

    MockReply reply = nextReply();
    JdkHttpServers.sleep(reply.delay());
    JsonNode request = Json.parseOrNull(body);
    if (deployment != null && request instanceof ObjectNode) {
      // Azure serves the deployment's model whatever the body says
      ((ObjectNode) request).put("model", azureDeployments.getOrDefault(deployment, deployment));
    }
    boolean stream = request != null && request.path("stream").asBoolean(false);

    switch (reply.kind()) {
      case DROP_CONNECTION -> throw new JdkHttpServers.AbortConnection();
      case ERROR -> sendError(exchange, reply.status(), reply.errorType(), reply.errorParam(), reply.errorCode(),
          reply.errorMessage(), reply.headers(), startNanos);
      case MALFORMED -> sendMalformed(exchange, reply, stream, path, startNanos);
      case SUCCESS -> {
        if (request == null || !request.isObject()) {
          sendError(exchange, 400, "invalid_request_error", null, null,
              "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your "
                  + "HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not "
                  + "valid JSON. If you have trouble figuring out how to fix this, please contact us through our "
                  + "help center at help.openai.com.)",
              Map.of(), startNanos);
          return;
        }
        InvalidRequest invalid = validate(path, request);
        if (invalid != null) {
          sendError(exchange, 400, "invalid_request_error", invalid.param(), invalid.code(), invalid.message(),
              Map.of(), startNanos);
          return;
        }
        switch (path) {
          case CHAT_PATH -> chatCompletion(exchange, request, reply, stream, startNanos);
          case RESPONSES_PATH -> response(exchange, request, reply, stream, startNanos);
          default -> embeddings(exchange, request, reply, startNanos);
        }
      }
      default -> throw new IllegalStateException("unknown reply kind " + reply.kind());
    }
  }

  private static boolean hasQueryParameter(String rawQuery, String name) {
    if (rawQuery == null) {
      return false;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.equals(name) || pair.startsWith(name + "=")) {
        return true;
      }
    }
    return false;
  }

  /** Azure's own error shape for routing and key failures: {@code {"error":{"code":"404","message":...}}}. */
  private static ObjectNode azureError(String code, String message) {
    ObjectNode body = Json.object();
    ObjectNode error = body.putObject("error");
    error.put("code", code);
    error.put("message", message);
    return body;
  }

  private record InvalidRequest(String message, String param, String code) {}

  private InvalidRequest validate(String path, JsonNode request) {
    JsonNode model = request.path("model");
    if (!model.isTextual() || model.asText().isEmpty()) {
      return new InvalidRequest("you must provide a model parameter", null, null);
    }
    if (!request.path("stream").asBoolean(false) && request.hasNonNull("stream_options")) {
      return new InvalidRequest(
          "The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options", null);
    }
    switch (path) {
      case CHAT_PATH -> {
        JsonNode messages = request.path("messages");
        if (messages.isMissingNode() || messages.isNull()) {
          return new InvalidRequest(
              "Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
        }
        if (!messages.isArray() || messages.isEmpty()) {
          return new InvalidRequest(
              "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array "
                  + "instead.",
              "messages", "empty_array");
        }
      }
      case RESPONSES_PATH -> {
        JsonNode previous = request.path("previous_response_id");
        if (previous.isTextual() && !conversations.containsKey(previous.asText())) {
          return new InvalidRequest(
              "Previous response with id '" + previous.asText() + "' not found.", "previous_response_id",
              "previous_response_not_found");
        }
      }
      case EMBEDDINGS_PATH -> {
        if (UsageFormula.embeddingInputs(request.path("input")).isEmpty()) {
          return new InvalidRequest(
              "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
              null, null);
        }
      }
      default -> {}
    }
    return null;
  }

  // ------------------------------------------------------------------ endpoints

  private record Completion(String text, long completionTokens, long reasoningTokens) {}

  /** Text and per-choice token counts of the default behaviour (see {@link UsageFormula}). */
  private static Completion completion(String model, JsonNode limitNode, MockReply reply, boolean effortNone) {
    boolean reasoning = UsageFormula.isReasoningModel(model) && !effortNone;
    Optional<String> content = reply.content();
    if (content.isPresent()) {
      long visible = UsageFormula.textTokens(content.get());
      long reasoningTokens = reasoning ? visible * UsageFormula.REASONING_QUARTERS : 0;
      return new Completion(content.get(), visible + reasoningTokens, reasoningTokens);
    }
    long total = limitNode != null && limitNode.canConvertToLong()
        ? Math.max(1, limitNode.asLong())
        : UsageFormula.DEFAULT_COMPLETION_TOKENS;
    long reasoningTokens = reasoning ? UsageFormula.reasoningTokens(model, total) : 0;
    return new Completion(UsageFormula.generatedText(total - reasoningTokens), total, reasoningTokens);
  }

  /** Text to show for a fixed usage when no content was scripted. */
  private static String textFor(TokenUsage usage, int choices, MockReply reply) {
    return reply.content().orElseGet(
        () -> UsageFormula.generatedText(
            Math.max(0, usage.completionTokens() - usage.reasoningTokens()) / Math.max(1, choices)));
  }

  private static String serviceTier(JsonNode request) {
    JsonNode tier = request.path("service_tier");
    return !tier.isTextual() || tier.asText().equals("auto") ? "default" : tier.asText();
  }

  private long sharedPrefix(String model, List<String> prompt) {
    return promptCaching ? promptCache.lookupAndStore(model, prompt) : 0;
  }

  private void chatCompletion(
      HttpExchange exchange, JsonNode request, MockReply reply, boolean stream, long startNanos)
      throws IOException, InterruptedException {
    String model = resolveModel(request.path("model").asText());
    int n = Math.max(1, Math.min(128, request.path("n").asInt(1)));
    List<String> prompt = UsageFormula.chatPromptSequence(request);
    long cached = UsageFormula.cachedTokens(sharedPrefix(model, prompt));
    long written = promptCaching ? UsageFormula.cacheWriteTokens(prompt.size(), cached) : 0;
    JsonNode limit = request.hasNonNull("max_completion_tokens")
        ? request.get("max_completion_tokens")
        : request.get("max_tokens");
    boolean effortNone = "none".equals(request.path("reasoning_effort").asText());
    Completion completion = completion(model, limit, reply, effortNone);
    TokenUsage usage = reply.usage().orElseGet(() -> new TokenUsage(
        prompt.size(), cached, written, 0, n * completion.completionTokens(), n * completion.reasoningTokens(), 0,
        0, 0));
    String text = reply.usage().isPresent() ? textFor(usage, n, reply) : completion.text();
    OpenAiWire.ChatPlan plan = new OpenAiWire.ChatPlan(
        OpenAiWire.chatCompletionId(), Instant.now().getEpochSecond(), model, serviceTier(request),
        OpenAiWire.systemFingerprint(model), n, text, reply.finishReason().orElse("stop"), usage);
    if (stream) {
      JsonNode options = request.path("stream_options");
      List<String> events = OpenAiWire.chatStreamEvents(
          plan, options.path("include_usage").asBoolean(false),
          options.path("include_obfuscation").asBoolean(true));
      sendSse(exchange, events, reply, startNanos);
    } else {
      sendJson(exchange, OpenAiWire.chatCompletion(plan), reply, startNanos);
    }
  }

  private void response(HttpExchange exchange, JsonNode request, MockReply reply, boolean stream, long startNanos)
      throws IOException, InterruptedException {
    String model = resolveModel(request.path("model").asText());
    List<String> conversation = new ArrayList<>();
    JsonNode previous = request.path("previous_response_id");
    if (previous.isTextual()) {
      conversation.addAll(conversations.getOrDefault(previous.asText(), List.of()));
    }
    conversation.addAll(UsageFormula.responsesInputSequence(request));
    List<String> prompt = UsageFormula.responsesHeaderSequence(request);
    prompt.addAll(conversation);
    long cached = UsageFormula.cachedTokens(sharedPrefix(model, prompt));
    long written = promptCaching ? UsageFormula.cacheWriteTokens(prompt.size(), cached) : 0;
    boolean effortNone = "none".equals(request.path("reasoning").path("effort").asText());
    Completion completion = completion(model, request.get("max_output_tokens"), reply, effortNone);
    TokenUsage usage = reply.usage().orElseGet(() -> new TokenUsage(
        prompt.size(), cached, written, 0, completion.completionTokens(), completion.reasoningTokens(), 0, 0, 0));
    String text = reply.usage().isPresent() ? textFor(usage, 1, reply) : completion.text();
    String requestedTier = request.path("service_tier").isTextual()
        ? request.path("service_tier").asText()
        : "auto";
    OpenAiWire.ResponsePlan plan = new OpenAiWire.ResponsePlan(
        OpenAiWire.responseId(), Instant.now().getEpochSecond(), model, requestedTier, serviceTier(request), text,
        usage, usage.reasoningTokens() > 0 ? OpenAiWire.reasoningId() : null, OpenAiWire.messageId(), request);
    if (request.path("store").asBoolean(true)) {
      UsageFormula.appendSegment(conversation, "assistant", text);
      conversations.put(plan.id(), List.copyOf(conversation));
    }
    if (stream) {
      boolean obfuscate = request.path("stream_options").path("include_obfuscation").asBoolean(true);
      sendSse(exchange, OpenAiWire.responseStreamEvents(plan, obfuscate), reply, startNanos);
    } else {
      sendJson(exchange, OpenAiWire.response(plan, true), reply, startNanos);
    }
  }

  private void embeddings(HttpExchange exchange, JsonNode request, MockReply reply, long startNanos)
      throws IOException, InterruptedException {
    String model = resolveModel(request.path("model").asText());
    List<JsonNode> inputs = UsageFormula.embeddingInputs(request.path("input"));
    int dimensions = request.path("dimensions").canConvertToInt() && request.path("dimensions").asInt() > 0
        ? request.path("dimensions").asInt()
        : OpenAiWire.DEFAULT_EMBEDDING_DIMENSIONS;
    boolean base64 = "base64".equals(request.path("encoding_format").asText());
    TokenUsage usage = reply.usage().orElseGet(
        () -> TokenUsage.of(UsageFormula.embeddingInputTokens(request), 0));
    sendJson(exchange, OpenAiWire.embeddings(model, inputs, dimensions, base64, usage), reply, startNanos);
  }

  private ObjectNode modelsList() {
    ObjectNode root = Json.object();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (String id : new java.util.TreeSet<>(snapshots.keySet())) {
      for (String name : List.of(id, snapshots.get(id))) {
        ObjectNode model = data.addObject();
        model.put("id", name);
        model.put("object", "model");
        model.put("created", 1_700_000_000L);
        model.put("owned_by", "system");
      }
    }
    return root;
  }

  // ------------------------------------------------------------------ writing

  private static void addStandardHeaders(Headers headers, long startNanos, Map<String, String> extra) {
    headers.set("x-request-id", OpenAiWire.requestId());
    headers.set("openai-version", "2020-10-01");
    headers.set("openai-organization", "aicost-mock");
    headers.set("openai-processing-ms", Long.toString(
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos)));
    headers.set("x-ratelimit-limit-requests", "10000");
    headers.set("x-ratelimit-remaining-requests", "9999");
    headers.set("x-ratelimit-reset-requests", "6ms");
    headers.set("x-ratelimit-limit-tokens", "30000000");
    headers.set("x-ratelimit-remaining-tokens", "29999000");
    headers.set("x-ratelimit-reset-tokens", "2ms");
    extra.forEach(headers::set);
  }

  private static void sendError(
      HttpExchange exchange,
      int status,
      String type,
      String param,
      String code,
      String message,
      Map<String, String> extraHeaders,
      long startNanos)
      throws IOException {
    sendJson(exchange, status, OpenAiWire.errorBody(message, type, param, code), extraHeaders, startNanos);
  }

  private static void sendJson(
      HttpExchange exchange, int status, JsonNode body, Map<String, String> extraHeaders, long startNanos)
      throws IOException {
    byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    addStandardHeaders(exchange.getResponseHeaders(), startNanos, extraHeaders);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** A 200 JSON reply that honours the reply's cut-off: half of the body, then an aborted connection. */
  private static void sendJson(HttpExchange exchange, JsonNode body, MockReply reply, long startNanos)
      throws IOException {
    if (reply.cutAfterEvents().isEmpty()) {
      sendJson(exchange, 200, body, reply.headers(), startNanos);
      return;
    }
    byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    addStandardHeaders(exchange.getResponseHeaders(), startNanos, reply.headers());
    exchange.sendResponseHeaders(200, bytes.length);
    OutputStream out = exchange.getResponseBody();
    out.write(bytes, 0, bytes.length / 2);
    out.flush();
    throw new JdkHttpServers.AbortConnection();
  }

  private static void sendSse(HttpExchange exchange, List<String> events, MockReply reply, long startNanos)
      throws IOException, InterruptedException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache, must-revalidate");
    addStandardHeaders(exchange.getResponseHeaders(), startNanos, reply.headers());
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    int cutAfter = reply.cutAfterEvents().orElse(-1);
    for (int i = 0; i < events.size(); i++) {
      if (i == cutAfter) {
        out.flush();
        throw new JdkHttpServers.AbortConnection();
      }
      if (i > 0) {
        JdkHttpServers.sleep(reply.eventDelay());
      }
      out.write(events.get(i).getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    if (cutAfter >= events.size()) {
      throw new JdkHttpServers.AbortConnection();
    }
    out.close();
  }

  private static void sendMalformed(
      HttpExchange exchange, MockReply reply, boolean stream, String path, long startNanos) throws IOException {
    String contentType = reply.rawContentType()
        .orElse(stream ? "text/event-stream; charset=utf-8" : "application/json");
    String body = reply.rawBody().orElseGet(() -> {
      String object = switch (path) {
        case CHAT_PATH -> stream ? "chat.completion.chunk" : "chat.completion";
        case RESPONSES_PATH -> "response";
        default -> "list";
      };
      String truncated = "{\"id\":\"malformed\",\"object\":\"" + object + "\",\"choices\":[{\"index\":0,";
      return stream ? "data: " + truncated + "\n\ndata: [DONE]\n\n" : truncated;
    });
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    addStandardHeaders(exchange.getResponseHeaders(), startNanos, reply.headers());
    exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  // ------------------------------------------------------------------ builder

  /** Builder for {@link MockOpenAiServer}. */
  public static final class Builder {
    private int port;
    private final Map<String, String> snapshots = new LinkedHashMap<>(DEFAULT_SNAPSHOTS);
    private final Map<String, String> azureDeployments = new LinkedHashMap<>();
    private String apiKey;
    private boolean promptCaching = true;

    private Builder() {}

    /** The port to listen on (default 0: an ephemeral port). The server always binds 127.0.0.1. */
    public Builder port(int port) {
      this.port = JdkHttpServers.checkPort(port);
      return this;
    }

    /** Report {@code snapshot} as {@code model} when {@code alias} is requested (adds to or overrides defaults). */
    public Builder modelSnapshot(String alias, String snapshot) {
      snapshots.put(Objects.requireNonNull(alias), Objects.requireNonNull(snapshot));
      return this;
    }

    /**
     * An Azure OpenAI deployment: requests to {@code /openai/deployments/{deployment}/...} are answered by
     * {@code model} (then resolved to its snapshot). A deployment not declared serves the model of its own name.
     */
    public Builder azureDeployment(String deployment, String model) {
      azureDeployments.put(Objects.requireNonNull(deployment), Objects.requireNonNull(model));
      return this;
    }

    /** Echo every requested model unchanged (no snapshot resolution). */
    public Builder noModelSnapshots() {
      snapshots.clear();
      return this;
    }

    /**
     * Require {@code Authorization: Bearer <apiKey>} on every request; others get OpenAI's 401. By default any (or
     * no) key is accepted.
     */
    public Builder requireApiKey(String apiKey) {
      this.apiKey = Objects.requireNonNull(apiKey);
      return this;
    }

    /** Enable (default) or disable the simulated prompt cache. */
    public Builder promptCaching(boolean enabled) {
      this.promptCaching = enabled;
      return this;
    }

    public MockOpenAiServer start() {
      try {
        return new MockOpenAiServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start MockOpenAiServer", e);
      }
    }
  }

  // ------------------------------------------------------------------ standalone

  /**
   * Runs the server until the JVM is stopped. Options: {@code --port N} (default 0: ephemeral), {@code --port-file
   * FILE} (written atomically with the port number once listening), {@code --api-key KEY} (require this key),
   * {@code --no-prompt-cache}. Prints the base URL on stdout.
   */
  public static void main(String[] args) throws Exception {
    Builder builder = builder();
    Path portFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> builder.port(Integer.parseInt(optionValue(args, ++i)));
        case "--port-file" -> portFile = Path.of(optionValue(args, ++i));
        case "--api-key" -> builder.requireApiKey(optionValue(args, ++i));
        case "--no-prompt-cache" -> builder.promptCaching(false);
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
    MockOpenAiServer server = builder.start();
    runUntilStopped(server, portFile, server.baseUrl());
  }

  private static void usage(PrintStream out) {
    out.println("usage: java dev.aicost.testing.MockOpenAiServer [--port N] [--port-file FILE] [--api-key KEY] "
        + "[--no-prompt-cache]");
  }
}
