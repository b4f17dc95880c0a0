package dev.aicost.testing;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A scripted reply for {@link MockBedrockServer#enqueue(BedrockReply)}. Immutable; every {@code with…} method
 * returns a copy.
 *
 * <ul>
 *   <li>{@link #success()}: the operation's normal reply (JSON, or an AWS event stream for {@code converse-stream} and
 *       {@code invoke-with-response-stream}), optionally with fixed {@linkplain #withUsage usage}, {@linkplain
 *       #withText text} or {@linkplain #withStopReason stop reason}, {@linkplain #withDelay delayed}, {@linkplain
 *       #withEventDelay paced}, {@linkplain #cutStream cut off} or ending in a {@linkplain #streamError stream
 *       exception}.
 *   <li>{@link #error(int, String, String)} and its shortcuts: an AWS JSON error ({@code x-amzn-ErrorType} header,
 *       {@code {"message":…}} body).
 *   <li>{@link #dropConnection()}: the connection is closed before any response byte is written.
 * </ul>
 */
public final class BedrockReply {

  enum Kind {
    SUCCESS,
    ERROR,
    DROP_CONNECTION
  }

  private final Kind kind;
  private final BedrockUsage usage;
  private final String text;
  private final String stopReason;
  private final int status;
  private final String errorType;
  private final String errorMessage;
  private final Map<String, String> headers;
  private final Duration delay;
  private final Duration eventDelay;
  private final int cutAfter;
  private final String streamErrorType;
  private final String streamErrorMessage;
  private final boolean tokenHeaders;
  private final boolean invocationMetrics;

  private BedrockReply(
      Kind kind,
      BedrockUsage usage,
      String text,
      String stopReason,
      int status,
      String errorType,
      String errorMessage,
      Map<String, String> headers,
      Duration delay,
      Duration eventDelay,
      int cutAfter,
      String streamErrorType,
      String streamErrorMessage,
      boolean tokenHeaders,
      boolean invocationMetrics) {
    this.kind = kind;
    this.usage = usage;
    this.text = text;
    this.stopReason = stopReason;
    this.status = status;
    this.errorType = errorType;
    this.errorMessage = errorMessage;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.delay = delay;
    this.eventDelay = eventDelay;
    this.cutAfter = cutAfter;
    this.streamErrorType = streamErrorType;
    this.streamErrorMessage = streamErrorMessage;
    this.tokenHeaders = tokenHeaders;
    this.invocationMetrics = invocationMetrics;
  }

  private BedrockReply copy(
      BedrockUsage usage,
      String text,
      String stopReason,
      Map<String, String> headers,
      Duration delay,
      Duration eventDelay,
      int cutAfter,
      String streamErrorType,
      String streamErrorMessage,
      boolean tokenHeaders,
      boolean invocationMetrics) {
    return new BedrockReply(
        kind, usage, text, stopReason, status, errorType, errorMessage, headers, delay, eventDelay, cutAfter,
        streamErrorType, streamErrorMessage, tokenHeaders, invocationMetrics);
  }

  private static BedrockReply of(Kind kind, int status, String errorType, String errorMessage) {
    return new BedrockReply(
        kind, null, null, null, status, errorType, errorMessage, Map.of(), Duration.ZERO, Duration.ZERO, -1, null,
        null, true, true);
  }

  // ---------------------------------------------------------------- factories

  /** The operation's default reply: text and usage from the server's formula. */
  public static BedrockReply success() {
    return of(Kind.SUCCESS, 200, null, null);
  }

  /** A successful reply reporting exactly {@code usage}. */
  public static BedrockReply usage(BedrockUsage usage) {
    return success().withUsage(usage);
  }

  /** A successful reply whose generated text is {@code text}. */
  public static BedrockReply text(String text) {
    return success().withText(text);
  }

  /**
   * A successful streamed reply that writes {@code events} event-stream messages, then closes the connection
   * abruptly. A non-streaming request gets half of its JSON body, then the connection is closed.
   */
  public static BedrockReply cutStream(int events) {
    return success().cutAfter(events);
  }

  /**
   * A successful streamed reply that writes {@code events} events, then an exception message
   * ({@code :message-type: exception}) of type {@code modelStreamErrorException}, then ends the stream.
   */
  public static BedrockReply streamError(int events) {
    return success()
        .withStreamError(events, "modelStreamErrorException", "The model encountered an error while streaming.");
  }

  /**
   * An AWS JSON error: status {@code status}, header {@code x-amzn-ErrorType: <type>:http://internal.amazon.com/…},
   * body {@code {"message": message}}.
   */
  public static BedrockReply error(int status, String type, String message) {
    ReplyChecks.errorStatus(status);
    return of(Kind.ERROR, status, Objects.requireNonNull(type), Objects.requireNonNull(message));
  }

  /** 429 {@code ThrottlingException}, which the SDK retries. */
  public static BedrockReply throttling() {
    return error(429, "ThrottlingException", "Too many requests, please wait before trying again.");
  }

  /** 400 {@code ValidationException}. */
  public static BedrockReply validation(String message) {
    return error(400, "ValidationException", message);
  }

  /** 403 {@code AccessDeniedException}. */
  public static BedrockReply accessDenied() {
    return error(403, "AccessDeniedException", "You don't have access to the model with the specified model ID.");
  }

  /** 404 {@code ResourceNotFoundException}. */
  public static BedrockReply resourceNotFound() {
    return error(404, "ResourceNotFoundException", "Model not found.");
  }

  /** 500 {@code InternalServerException}, which the SDK retries. */
  public static BedrockReply internalServerError() {
    return error(500, "InternalServerException", "The server encountered an internal error.");
  }

  /** 503 {@code ServiceUnavailableException}, which the SDK retries. */
  public static BedrockReply serviceUnavailable() {
    return error(503, "ServiceUnavailableException", "Bedrock is unable to process your request.");
  }

  /** The connection is closed before any response byte: an I/O error, retried by the SDK. */
  public static BedrockReply dropConnection() {
    return of(Kind.DROP_CONNECTION, 0, null, null);
  }

  // ---------------------------------------------------------------- modifiers

  public BedrockReply withUsage(BedrockUsage usage) {
    requireSuccess("usage");
    return copy(Objects.requireNonNull(usage), text, stopReason, headers, delay, eventDelay, cutAfter,
        streamErrorType, streamErrorMessage, tokenHeaders, invocationMetrics);
  }

  public BedrockReply withText(String text) {
    requireSuccess("text");
    return copy(usage, Objects.requireNonNull(text), stopReason, headers, delay, eventDelay, cutAfter,
        streamErrorType, streamErrorMessage, tokenHeaders, invocationMetrics);
  }

  /** The stop reason, in the operation's vocabulary ({@code end_turn}, {@code max_tokens}, ...). */
  public BedrockReply withStopReason(String stopReason) {
    requireSuccess("stop reason");
    return copy(usage, text, Objects.requireNonNull(stopReason), headers, delay, eventDelay, cutAfter,
        streamErrorType, streamErrorMessage, tokenHeaders, invocationMetrics);
  }

  /** Adds or overrides a response header. */
  public BedrockReply withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
    return copy(usage, text, stopReason, h, delay, eventDelay, cutAfter, streamErrorType, streamErrorMessage,
        tokenHeaders, invocationMetrics);
  }

  /** Waits {@code delay} before the response starts. */
  public BedrockReply withDelay(Duration delay) {
    return copy(usage, text, stopReason, headers, ReplyChecks.nonNegative(delay), eventDelay, cutAfter, streamErrorType,
        streamErrorMessage, tokenHeaders, invocationMetrics);
  }

  /** Waits {@code delay} between two streamed events. */
  public BedrockReply withEventDelay(Duration delay) {
    requireSuccess("event delay");
    return copy(usage, text, stopReason, headers, this.delay, ReplyChecks.nonNegative(delay), cutAfter, streamErrorType,
        streamErrorMessage, tokenHeaders, invocationMetrics);
  }

  /** See {@link #cutStream(int)}. */
  public BedrockReply cutAfter(int events) {
    requireSuccess("cut-off");
    ReplyChecks.eventCount(events);
    return copy(usage, text, stopReason, headers, delay, eventDelay, events, streamErrorType, streamErrorMessage,
        tokenHeaders, invocationMetrics);
  }

  /** After {@code events} events, an exception event of member {@code type} (e.g. {@code throttlingException}). */
  public BedrockReply withStreamError(int events, String type, String message) {
    requireSuccess("stream error");
    ReplyChecks.eventCount(events);
    return copy(usage, text, stopReason, headers, delay, eventDelay, events, Objects.requireNonNull(type),
        Objects.requireNonNull(message), tokenHeaders, invocationMetrics);
  }

  /** InvokeModel without the {@code X-Amzn-Bedrock-*-Token-Count} headers: only the model's body reports usage. */
  public BedrockReply withoutTokenHeaders() {
    requireSuccess("token headers");
    return copy(usage, text, stopReason, headers, delay, eventDelay, cutAfter, streamErrorType, streamErrorMessage,
        false, invocationMetrics);
  }

  /** InvokeModelWithResponseStream without {@code amazon-bedrock-invocationMetrics} in the last chunk. */
  public BedrockReply withoutInvocationMetrics() {
    requireSuccess("invocation metrics");
    return copy(usage, text, stopReason, headers, delay, eventDelay, cutAfter, streamErrorType, streamErrorMessage,
        tokenHeaders, false);
  }

  private void requireSuccess(String what) {
    if (kind != Kind.SUCCESS) {
      throw new IllegalStateException("a " + what + " applies to success replies only, not " + kind);
    }
  }

  // ---------------------------------------------------------------- accessors (package)

  Kind kind() {
    return kind;
  }

  Optional<BedrockUsage> usage() {
    return Optional.ofNullable(usage);
  }

  Optional<String> text() {
    return Optional.ofNullable(text);
  }

  Optional<String> stopReason() {
    return Optional.ofNullable(stopReason);
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

  Map<String, String> headers() {
    return headers;
  }

  Duration delay() {
    return delay;
  }

  Duration eventDelay() {
    return eventDelay;
  }

  /** Events written before the cut or the stream error; empty when the reply runs to its end. */
  OptionalInt cutAfterEvents() {
    return cutAfter < 0 ? OptionalInt.empty() : OptionalInt.of(cutAfter);
  }

  Optional<String> streamErrorType() {
    return Optional.ofNullable(streamErrorType);
  }

  String streamErrorMessage() {
    return streamErrorMessage;
  }

  boolean tokenHeaders() {
    return tokenHeaders;
  }

  boolean invocationMetrics() {
    return invocationMetrics;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case SUCCESS -> "BedrockReply[success" + (usage == null ? "" : ", " + usage)
          + (cutAfter < 0 ? "" : streamErrorType == null ? ", cut after " + cutAfter : ", " + streamErrorType
              + " after " + cutAfter) + "]";
      case ERROR -> "BedrockReply[" + status + " " + errorType + "]";
      case DROP_CONNECTION -> "BedrockReply[drop connection]";
    };
  }
}
