package dev.aicost.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * A scripted reply of {@link MockGeminiServer}. Immutable; the {@code with…} methods return modified copies.
 *
 * <table>
 *   <caption>factories</caption>
 *   <tr><th>factory</th><th>HTTP</th><th>google-genai sees</th></tr>
 *   <tr><td>{@link #success()}</td><td>200</td><td>the formula reply</td></tr>
 *   <tr><td>{@link #usage(GeminiUsage)}</td><td>200</td><td>these exact token counts</td></tr>
 *   <tr><td>{@link #text(String)}</td><td>200</td><td>this text</td></tr>
 *   <tr><td>{@link #functionCall(String, String)}</td><td>200</td><td>a {@code functionCall} part: the SDK's
 *       automatic function calling runs the function and sends its result in a new request</td></tr>
 *   <tr><td>{@link #error(int, String, String)}</td><td>4xx/5xx</td><td>{@code ClientException} /
 *       {@code ServerException} with that code</td></tr>
 *   <tr><td>{@link #resourceExhausted()}</td><td>429</td><td>{@code ClientException} 429</td></tr>
 *   <tr><td>{@link #cutStream(int)}</td><td>200</td><td>{@code n} events, then the connection is cut</td></tr>
 *   <tr><td>{@link #errorEvent(int, int, String, String)}</td><td>200</td><td>{@code n} events, then an SSE event
 *       holding Google's error object</td></tr>
 *   <tr><td>{@link #malformed(String)}</td><td>200</td><td>this raw body</td></tr>
 * </table>
 */
public final class GeminiReply {

  enum Kind {
    SUCCESS,
    FUNCTION_CALL,
    ERROR,
    CUT_STREAM,
    ERROR_EVENT,
    MALFORMED
  }

  final Kind kind;
  final GeminiUsage usage;
  final String text;
  final String functionName;
  final String functionArgsJson;
  final int status;
  final String errorStatus;
  final String errorMessage;
  final int events;
  final String raw;
  final String modelVersion;
  final String finishReason;
  final Duration delay;
  final Duration eventDelay;
  final String continuationToken;

  private GeminiReply(Kind kind, GeminiUsage usage, String text, String functionName, String functionArgsJson,
      int status, String errorStatus, String errorMessage, int events, String raw, String modelVersion,
      String finishReason, Duration delay, Duration eventDelay) {
    this(kind, usage, text, functionName, functionArgsJson, status, errorStatus, errorMessage, events, raw,
        modelVersion, finishReason, delay, eventDelay, null);
  }

  private GeminiReply(Kind kind, GeminiUsage usage, String text, String functionName, String functionArgsJson,
      int status, String errorStatus, String errorMessage, int events, String raw, String modelVersion,
      String finishReason, Duration delay, Duration eventDelay, String continuationToken) {
    this.kind = kind;
    this.usage = usage;
    this.text = text;
    this.functionName = functionName;
    this.functionArgsJson = functionArgsJson;
    this.status = status;
    this.errorStatus = errorStatus;
    this.errorMessage = errorMessage;
    this.events = events;
    this.raw = raw;
    this.modelVersion = modelVersion;
    this.finishReason = finishReason;
    this.delay = delay;
    this.eventDelay = eventDelay;
    this.continuationToken = continuationToken;
  }

  private static GeminiReply of(Kind kind) {
    return new GeminiReply(kind, null, null, null, null, 200, null, null, 0, null, null, null, Duration.ZERO,
        Duration.ZERO);
  }

  /** The default reply: usage from the formula, text of {@code candidatesTokenCount} 4-character tokens. */
  public static GeminiReply success() {
    return of(Kind.SUCCESS);
  }

  /** A success with exactly these token counts. */
  public static GeminiReply usage(GeminiUsage usage) {
    return success().withUsage(usage);
  }

  /** A success whose answer is {@code text}. */
  public static GeminiReply text(String text) {
    return success().withText(text);
  }

  /** The model asks to call {@code name} with these arguments (a JSON object). */
  public static GeminiReply functionCall(String name, String argsJson) {
    GeminiReply r = of(Kind.FUNCTION_CALL);
    return new GeminiReply(r.kind, null, null, Objects.requireNonNull(name), Objects.requireNonNull(argsJson), 200,
        null, null, 0, null, null, null, Duration.ZERO, Duration.ZERO);
  }

  /** Google's error body {@code {"error":{"code","message","status"}}} with HTTP {@code code}. */
  public static GeminiReply error(int code, String status, String message) {
    ReplyChecks.errorStatus(code);
    return new GeminiReply(Kind.ERROR, null, null, null, null, code, Objects.requireNonNull(status),
        Objects.requireNonNull(message), 0, null, null, null, Duration.ZERO, Duration.ZERO);
  }

  /** 429 {@code RESOURCE_EXHAUSTED}, as the Gemini API sends it when a quota is used up. */
  public static GeminiReply resourceExhausted() {
    return error(429, "RESOURCE_EXHAUSTED",
        "You exceeded your current quota, please check your plan and billing details.");
  }

  /** 500 {@code INTERNAL}. */
  public static GeminiReply internalError() {
    return error(500, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting");
  }

  /** A stream of {@code events} chunks, then the connection closed abruptly; non-streaming: half the body. */
  public static GeminiReply cutStream(int events) {
    return new GeminiReply(Kind.CUT_STREAM, null, null, null, null, 200, null, null, events, null, null, null,
        Duration.ZERO, Duration.ZERO);
  }

  /** A stream of {@code events} chunks, then one event holding an error object, as Google sends mid-stream errors. */
  public static GeminiReply errorEvent(int events, int code, String status, String message) {
    return new GeminiReply(Kind.ERROR_EVENT, null, null, null, null, 200, status, message, events, null, null, null,
        Duration.ZERO, Duration.ZERO).withStatusCode(code);
  }

  /** 200 with this raw body, sent as it is. */
  public static GeminiReply malformed(String raw) {
    return new GeminiReply(Kind.MALFORMED, null, null, null, null, 200, null, null, 0, Objects.requireNonNull(raw),
        null, null, Duration.ZERO, Duration.ZERO);
  }

  private GeminiReply withStatusCode(int code) {
    return new GeminiReply(kind, usage, text, functionName, functionArgsJson, code, errorStatus, errorMessage, events,
        raw, modelVersion, finishReason, delay, eventDelay, continuationToken);
  }

  public GeminiReply withUsage(GeminiUsage u) {
    return new GeminiReply(kind, Objects.requireNonNull(u), text, functionName, functionArgsJson, status, errorStatus,
        errorMessage, events, raw, modelVersion, finishReason, delay, eventDelay, continuationToken);
  }

  public GeminiReply withText(String t) {
    return new GeminiReply(kind, usage, Objects.requireNonNull(t), functionName, functionArgsJson, status,
        errorStatus, errorMessage, events, raw, modelVersion, finishReason, delay, eventDelay, continuationToken);
  }

  /** The {@code modelVersion} to report instead of the server's mapping of the requested model. */
  public GeminiReply withModelVersion(String version) {
    return new GeminiReply(kind, usage, text, functionName, functionArgsJson, status, errorStatus, errorMessage,
        events, raw, Objects.requireNonNull(version), finishReason, delay, eventDelay, continuationToken);
  }

  /** The candidate's {@code finishReason} ({@code STOP} by default), e.g. {@code MAX_TOKENS}. */
  public GeminiReply withFinishReason(String reason) {
    return new GeminiReply(kind, usage, text, functionName, functionArgsJson, status, errorStatus, errorMessage,
        events, raw, modelVersion, Objects.requireNonNull(reason), delay, eventDelay, continuationToken);
  }

  /** Waits this long before the first byte. */
  public GeminiReply withDelay(Duration d) {
    return new GeminiReply(kind, usage, text, functionName, functionArgsJson, status, errorStatus, errorMessage,
        events, raw, modelVersion, finishReason, Objects.requireNonNull(d), eventDelay, continuationToken);
  }

  /** Streams only: waits this long before each event after the first. */
  public GeminiReply withEventDelay(Duration d) {
    return new GeminiReply(kind, usage, text, functionName, functionArgsJson, status, errorStatus, errorMessage,
        events, raw, modelVersion, finishReason, delay, Objects.requireNonNull(d), continuationToken);
  }

  /**
   * Ends the generation with {@code finishReason: CONTINUATION} and this {@code continuationToken} (base64) on the
   * candidate: google-genai 2.x then continues automatically with a new request carrying the token.
   */
  public GeminiReply withContinuation(String base64Token) {
    return new GeminiReply(kind, usage, text, functionName, functionArgsJson, status, errorStatus, errorMessage,
        events, raw, modelVersion, "CONTINUATION", delay, eventDelay, Objects.requireNonNull(base64Token));
  }

  @Override
  public String toString() {
    return "GeminiReply[" + kind + (usage != null ? " " + usage : "") + (status != 200 ? " " + status : "") + "]";
  }
}
