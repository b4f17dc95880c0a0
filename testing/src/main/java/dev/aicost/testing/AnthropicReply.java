package dev.aicost.testing;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A scripted reply of {@link MockAnthropicServer}; immutable, built with the factories and {@code with...} methods.
 *
 * <ul>
 *   <li>{@link #success()}, {@link #usage(AnthropicTokenUsage)}, {@link #text(String)}: a message (JSON, SSE or
 *       Bedrock event stream, as the request asks).
 *   <li>{@link #error(int, String, String)} and its shortcuts ({@link #rateLimited()} 429, {@link #overloaded()}
 *       529, {@link #serverError()} 500): Anthropic's error body {@code {"type":"error","error":{...}}}.
 *   <li>{@link #streamError(int, String, String)}: a stream that starts normally, then sends an {@code error} event
 *       (on Bedrock: an exception frame) after that many events.
 *   <li>{@link #cutStream(int)}: the connection is dropped after that many stream events (half the body for JSON).
 * </ul>
 */
public final class AnthropicReply {

  enum Kind {
    SUCCESS,
    ERROR
  }

  private final Kind kind;
  private final AnthropicTokenUsage usage;
  private final String text;
  private final String stopReason;
  private final int status;
  private final String errorType;
  private final String errorMessage;
  private final int streamErrorAfter;
  private final int cutAfter;
  private final Map<String, String> headers;
  private final Duration delay;

  private AnthropicReply(
      Kind kind, AnthropicTokenUsage usage, String text, String stopReason, int status, String errorType,
      String errorMessage, int streamErrorAfter, int cutAfter, Map<String, String> headers, Duration delay) {
    this.kind = kind;
    this.usage = usage;
    this.text = text;
    this.stopReason = stopReason;
    this.status = status;
    this.errorType = errorType;
    this.errorMessage = errorMessage;
    this.streamErrorAfter = streamErrorAfter;
    this.cutAfter = cutAfter;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.delay = delay;
  }

  /** The default reply: text and usage computed from the request (with prompt caching). */
  public static AnthropicReply success() {
    return new AnthropicReply(Kind.SUCCESS, null, null, null, 200, null, null, -1, -1, Map.of(), Duration.ZERO);
  }

  /** A message reporting exactly this usage. */
  public static AnthropicReply usage(AnthropicTokenUsage usage) {
    return success().withUsage(usage);
  }

  /** A message with this text; usage computed from it. */
  public static AnthropicReply text(String text) {
    return success().withText(text);
  }

  /** An HTTP error with Anthropic's error body. */
  public static AnthropicReply error(int status, String type, String message) {
    ReplyChecks.errorStatus(status);
    return new AnthropicReply(
        Kind.ERROR, null, null, null, status, Objects.requireNonNull(type), Objects.requireNonNull(message), -1, -1,
        Map.of(), Duration.ZERO);
  }

  /** 429 {@code rate_limit_error} (add {@link #withRetryAfter} to let the client retry at once). */
  public static AnthropicReply rateLimited() {
    return error(429, "rate_limit_error",
        "This request would exceed the rate limit for your organization of 50 requests per minute.");
  }

  /** 529 {@code overloaded_error}. */
  public static AnthropicReply overloaded() {
    return error(529, "overloaded_error", "Overloaded");
  }

  /** 500 {@code api_error}. */
  public static AnthropicReply serverError() {
    return error(500, "api_error", "Internal server error");
  }

  /** A stream whose {@code events}-th event is replaced by an {@code error} event, which ends it. */
  public static AnthropicReply streamError(int events, String type, String message) {
    ReplyChecks.eventCount(events);
    AnthropicReply r = success();
    return new AnthropicReply(Kind.SUCCESS, r.usage, r.text, r.stopReason, 200, Objects.requireNonNull(type),
        Objects.requireNonNull(message), events, -1, Map.of(), Duration.ZERO);
  }

  /** A stream cut (connection dropped) after {@code events} events. */
  public static AnthropicReply cutStream(int events) {
    ReplyChecks.eventCount(events);
    return new AnthropicReply(Kind.SUCCESS, null, null, null, 200, null, null, -1, events, Map.of(), Duration.ZERO);
  }

  public AnthropicReply withUsage(AnthropicTokenUsage usage) {
    return new AnthropicReply(kind, Objects.requireNonNull(usage), text, stopReason, status, errorType,
        errorMessage, streamErrorAfter, cutAfter, headers, delay);
  }

  public AnthropicReply withText(String text) {
    return new AnthropicReply(kind, usage, Objects.requireNonNull(text), stopReason, status, errorType,
        errorMessage, streamErrorAfter, cutAfter, headers, delay);
  }

  /** {@code stop_reason}: {@code end_turn} (default), {@code max_tokens}, {@code tool_use}, ... */
  public AnthropicReply withStopReason(String stopReason) {
    return new AnthropicReply(kind, usage, text, Objects.requireNonNull(stopReason), status, errorType,
        errorMessage, streamErrorAfter, cutAfter, headers, delay);
  }

  public AnthropicReply withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new AnthropicReply(kind, usage, text, stopReason, status, errorType, errorMessage, streamErrorAfter,
        cutAfter, h, delay);
  }

  /** {@code retry-after} in whole seconds (rounded up), as Anthropic sends it. */
  public AnthropicReply withRetryAfter(Duration retryAfter) {
    long seconds = (retryAfter.toMillis() + 999) / 1000;
    return withHeader("retry-after", Long.toString(seconds)).withHeader("retry-after-ms",
        Long.toString(retryAfter.toMillis()));
  }

  /** Wait this long before answering. */
  public AnthropicReply withDelay(Duration delay) {
    return new AnthropicReply(kind, usage, text, stopReason, status, errorType, errorMessage, streamErrorAfter,
        cutAfter, headers, Objects.requireNonNull(delay));
  }

  Kind kind() {
    return kind;
  }

  Optional<AnthropicTokenUsage> usage() {
    return Optional.ofNullable(usage);
  }

  Optional<String> text() {
    return Optional.ofNullable(text);
  }

  String stopReason() {
    return stopReason == null ? "end_turn" : stopReason;
  }

  int status() {
    return status;
  }

  String errorType() {
    return errorType;
  }

  String errorMessage() {
    return errorMessage;
  }

  /** The event index replaced by an error event, or -1. */
  int streamErrorAfter() {
    return streamErrorAfter;
  }

  /** The event index at which the connection is dropped, or -1. */
  int cutAfter() {
    return cutAfter;
  }

  Map<String, String> headers() {
    return headers;
  }

  Duration delay() {
    return delay;
  }

  @Override
  public String toString() {
    return "AnthropicReply[" + kind + (usage != null ? " " + usage : "") + (kind == Kind.ERROR ? " " + status + " "
        + errorType : "") + (streamErrorAfter >= 0 ? " streamError@" + streamErrorAfter : "")
        + (cutAfter >= 0 ? " cut@" + cutAfter : "") + "]";
  }
}
