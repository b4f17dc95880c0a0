package dev.aicost.testing;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A scripted reply for {@link MockOpenAiServer#enqueue(MockReply)}. Immutable; every {@code with…} method returns a
 * copy.
 *
 * <p>Kinds of reply:
 *
 * <ul>
 *   <li>{@link #success()} — the endpoint's normal reply (JSON or SSE, following the request's {@code stream} flag),
 *       optionally with fixed {@linkplain #withUsage usage}, {@linkplain #withContent content} or
 *       {@linkplain #withFinishReason finish reason}, {@linkplain #withDelay delayed},
 *       {@linkplain #withEventDelay paced} or {@linkplain #cutAfter cut off}.
 *   <li>{@link #error(int, String, String, String)} and its shortcuts — an HTTP error with OpenAI's error body
 *       {@code {"error":{"message":…,"type":…,"param":…,"code":…}}}.
 *   <li>{@link #malformed(String)} — status 200 with a body that is not what the client expects.
 *   <li>{@link #dropConnection()} — the connection is closed before any response byte is written.
 * </ul>
 */
public final class MockReply {

  enum Kind {
    SUCCESS,
    ERROR,
    MALFORMED,
    DROP_CONNECTION
  }

  private final Kind kind;
  private final TokenUsage usage;
  private final String content;
  private final String finishReason;
  private final int status;
  private final String errorMessage;
  private final String errorType;
  private final String errorParam;
  private final String errorCode;
  private final String rawBody;
  private final String rawContentType;
  private final Map<String, String> headers;
  private final Duration delay;
  private final Duration eventDelay;
  private final int cutAfter;

  private MockReply(
      Kind kind,
      TokenUsage usage,
      String content,
      String finishReason,
      int status,
      String errorMessage,
      String errorType,
      String errorParam,
      String errorCode,
      String rawBody,
      String rawContentType,
      Map<String, String> headers,
      Duration delay,
      Duration eventDelay,
      int cutAfter) {
    this.kind = kind;
    this.usage = usage;
    this.content = content;
    this.finishReason = finishReason;
    this.status = status;
    this.errorMessage = errorMessage;
    this.errorType = errorType;
    this.errorParam = errorParam;
    this.errorCode = errorCode;
    this.rawBody = rawBody;
    this.rawContentType = rawContentType;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.delay = delay;
    this.eventDelay = eventDelay;
    this.cutAfter = cutAfter;
  }

  private static MockReply of(Kind kind, int status) {
    return new MockReply(
        kind, null, null, null, status, null, null, null, null, null, null, Map.of(), Duration.ZERO,
        Duration.ZERO, -1);
  }

  // ---------------------------------------------------------------- factories

  /** The endpoint's default reply: content and usage computed by {@link UsageFormula}. */
  public static MockReply success() {
    return of(Kind.SUCCESS, 200);
  }

  /** A successful reply reporting exactly {@code usage}. */
  public static MockReply usage(TokenUsage usage) {
    return success().withUsage(usage);
  }

  /** A successful reply whose assistant text is {@code content}. */
  public static MockReply text(String content) {
    return success().withContent(content);
  }

  /**
   * A successful streamed reply that writes {@code events} SSE events, then closes the connection abruptly (no
   * terminating chunk, no {@code [DONE]}). For a non-streaming request the connection is closed half-way through
   * the JSON body instead.
   */
  public static MockReply cutStream(int events) {
    return success().cutAfter(events);
  }

  /** A successful reply that starts only after {@code delay}. */
  public static MockReply slow(Duration delay) {
    return success().withDelay(delay);
  }

  /**
   * An HTTP error with OpenAI's error body. {@code code} and {@code param} may be null (serialized as JSON null).
   */
  public static MockReply error(int status, String type, String code, String message) {
    ReplyChecks.errorStatus(status);
    return new MockReply(
        Kind.ERROR, null, null, null, status, Objects.requireNonNull(message, "message"), type, null, code, null,
        null, Map.of(), Duration.ZERO, Duration.ZERO, -1);
  }

  /** 429 {@code rate_limit_exceeded} (type {@code requests}), as OpenAI sends when the RPM limit is hit. */
  public static MockReply rateLimited() {
    return error(
        429,
        "requests",
        "rate_limit_exceeded",
        "Rate limit reached for requests in organization org-mock on requests per min (RPM): Limit 3, Used 3, "
            + "Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to learn "
            + "more.")
        .withHeader("x-ratelimit-limit-requests", "3")
        .withHeader("x-ratelimit-remaining-requests", "0")
        .withHeader("x-ratelimit-reset-requests", "20s");
  }

  /** 429 {@code insufficient_quota}: the billing-exhausted variant of 429, which clients should not retry. */
  public static MockReply insufficientQuota() {
    return error(
        429,
        "insufficient_quota",
        "insufficient_quota",
        "You exceeded your current quota, please check your plan and billing details. For more information on "
            + "this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.");
  }

  /** 500 {@code server_error}. */
  public static MockReply serverError() {
    return error(
        500,
        "server_error",
        null,
        "The server had an error while processing your request. Sorry about that!");
  }

  /** 503 overloaded. */
  public static MockReply overloaded() {
    return error(
        503,
        "server_error",
        null,
        "The engine is currently overloaded, please try again later.");
  }

  /** 400 {@code invalid_request_error} about {@code param} (may be null). */
  public static MockReply badRequest(String message, String param) {
    return error(400, "invalid_request_error", null, message).withErrorParam(param);
  }

  /** 401 {@code invalid_api_key}. */
  public static MockReply unauthorized() {
    return error(
        401,
        "invalid_request_error",
        "invalid_api_key",
        "Incorrect API key provided: sk-mock. You can find your API key at "
            + "https://platform.openai.com/account/api-keys.");
  }

  /**
   * Status 200 with {@code rawBody} verbatim. The content type follows the request: {@code text/event-stream} for a
   * streaming request, else {@code application/json}; override with {@link #withContentType(String)}.
   */
  public static MockReply malformed(String rawBody) {
    return new MockReply(
        Kind.MALFORMED, null, null, null, 200, null, null, null, null, Objects.requireNonNull(rawBody, "rawBody"),
        null, Map.of(), Duration.ZERO, Duration.ZERO, -1);
  }

  /**
   * Status 200 with a truncated JSON object as body; for a streaming request an SSE event whose data is truncated
   * JSON, followed by {@code data: [DONE]}.
   */
  public static MockReply malformed() {
    return new MockReply(
        Kind.MALFORMED, null, null, null, 200, null, null, null, null, null, null, Map.of(), Duration.ZERO,
        Duration.ZERO, -1);
  }

  /** The connection is closed without a response: the client sees an I/O error (and may retry). */
  public static MockReply dropConnection() {
    return of(Kind.DROP_CONNECTION, 0);
  }

  // ---------------------------------------------------------------- withers

  private MockReply copy(
      TokenUsage usage,
      String content,
      String finishReason,
      String errorParam,
      String rawContentType,
      Map<String, String> headers,
      Duration delay,
      Duration eventDelay,
      int cutAfter) {
    return new MockReply(
        kind, usage, content, finishReason, status, errorMessage, errorType, errorParam, errorCode, rawBody,
        rawContentType, headers, delay, eventDelay, cutAfter);
  }

  /** Report exactly these token counts instead of the {@link UsageFormula} ones. */
  public MockReply withUsage(TokenUsage usage) {
    requireKind(Kind.SUCCESS, "withUsage");
    return copy(
        Objects.requireNonNull(usage, "usage"), content, finishReason, errorParam, rawContentType, headers, delay,
        eventDelay, cutAfter);
  }

  /** The assistant text (chat {@code message.content}, responses {@code output_text}). */
  public MockReply withContent(String content) {
    requireKind(Kind.SUCCESS, "withContent");
    return copy(
        usage, Objects.requireNonNull(content, "content"), finishReason, errorParam, rawContentType, headers, delay,
        eventDelay, cutAfter);
  }

  /** Chat {@code finish_reason} (default {@code stop}), e.g. {@code length} or {@code content_filter}. */
  public MockReply withFinishReason(String finishReason) {
    requireKind(Kind.SUCCESS, "withFinishReason");
    return copy(
        usage, content, Objects.requireNonNull(finishReason, "finishReason"), errorParam, rawContentType, headers,
        delay, eventDelay, cutAfter);
  }

  /** The {@code param} of an error body. */
  public MockReply withErrorParam(String param) {
    requireKind(Kind.ERROR, "withErrorParam");
    return copy(usage, content, finishReason, param, rawContentType, headers, delay, eventDelay, cutAfter);
  }

  /** Content type of a {@link #malformed(String)} body. */
  public MockReply withContentType(String contentType) {
    requireKind(Kind.MALFORMED, "withContentType");
    return copy(
        usage, content, finishReason, errorParam, Objects.requireNonNull(contentType), headers, delay, eventDelay,
        cutAfter);
  }

  /** An extra (or overriding) response header. */
  public MockReply withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(Objects.requireNonNull(name, "name").toLowerCase(java.util.Locale.ROOT), Objects.requireNonNull(value));
    return copy(usage, content, finishReason, errorParam, rawContentType, copy, delay, eventDelay, cutAfter);
  }

  /**
   * Sets {@code retry-after} (whole seconds, rounded up) and {@code retry-after-ms}; openai-java prefers the latter,
   * so a test can make the client retry after a few milliseconds.
   */
  public MockReply withRetryAfter(Duration retryAfter) {
    long millis = retryAfter.toMillis();
    long seconds = (millis + 999) / 1000;
    return withHeader("retry-after", Long.toString(seconds)).withHeader("retry-after-ms", Long.toString(millis));
  }

  /** The {@code x-request-id} response header (otherwise a random {@code req_…}). */
  public MockReply withRequestId(String requestId) {
    return withHeader("x-request-id", requestId);
  }

  /** Wait this long before writing the status line (time to first byte). */
  public MockReply withDelay(Duration delay) {
    ReplyChecks.nonNegative(delay);
    return copy(usage, content, finishReason, errorParam, rawContentType, headers, delay, eventDelay, cutAfter);
  }

  /** Wait this long between two SSE events of a streamed reply. */
  public MockReply withEventDelay(Duration eventDelay) {
    requireKind(Kind.SUCCESS, "withEventDelay");
    ReplyChecks.nonNegative(eventDelay);
    return copy(usage, content, finishReason, errorParam, rawContentType, headers, delay, eventDelay, cutAfter);
  }

  /** Close the connection abruptly after {@code events} SSE events (see {@link #cutStream(int)}). */
  public MockReply cutAfter(int events) {
    requireKind(Kind.SUCCESS, "cutAfter");
    ReplyChecks.eventCount(events);
    return copy(usage, content, finishReason, errorParam, rawContentType, headers, delay, eventDelay, events);
  }

  // ---------------------------------------------------------------- accessors (package-private: the server's view)

  Kind kind() {
    return kind;
  }

  Optional<TokenUsage> usage() {
    return Optional.ofNullable(usage);
  }

  Optional<String> content() {
    return Optional.ofNullable(content);
  }

  Optional<String> finishReason() {
    return Optional.ofNullable(finishReason);
  }

  int status() {
    return status;
  }

  String errorMessage() {
    return errorMessage;
  }

  String errorType() {
    return errorType;
  }

  String errorParam() {
    return errorParam;
  }

  String errorCode() {
    return errorCode;
  }

  Optional<String> rawBody() {
    return Optional.ofNullable(rawBody);
  }

  Optional<String> rawContentType() {
    return Optional.ofNullable(rawContentType);
  }

  Map<String, String> headers() {
    return headers;
  }

  Duration delay() {
    return delay;
  }

  Duration eventDelay() {
    return eventDelay;
  }

  OptionalInt cutAfterEvents() {
    return cutAfter < 0 ? OptionalInt.empty() : OptionalInt.of(cutAfter);
  }

  private void requireKind(Kind expected, String method) {
    if (kind != expected) {
      throw new IllegalStateException(method + "() applies to " + expected + " replies, this one is " + kind);
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("MockReply{").append(kind);
    if (kind == Kind.ERROR) {
      sb.append(' ').append(status).append(' ').append(errorCode);
    }
    if (usage != null) {
      sb.append(", usage=").append(usage);
    }
    if (content != null) {
      sb.append(", content=").append(content.length()).append(" chars");
    }
    if (!delay.isZero()) {
      sb.append(", delay=").append(delay);
    }
    if (!eventDelay.isZero()) {
      sb.append(", eventDelay=").append(eventDelay);
    }
    if (cutAfter >= 0) {
      sb.append(", cutAfter=").append(cutAfter);
    }
    return sb.append('}').toString();
  }
}
