package dev.aicost.javaagent.instrumentation.anthropic;

import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.SseException;
import com.anthropic.models.beta.messages.BetaCacheCreation;
import com.anthropic.models.beta.messages.BetaMessage;
import com.anthropic.models.beta.messages.BetaMessageDeltaUsage;
import com.anthropic.models.beta.messages.BetaRawMessageDeltaEvent;
import com.anthropic.models.beta.messages.BetaRawMessageStreamEvent;
import com.anthropic.models.beta.messages.BetaUsage;
import com.anthropic.models.messages.CacheCreation;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageDeltaUsage;
import com.anthropic.models.messages.RawMessageDeltaEvent;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Usage;
import dev.aicost.bootstrap.AiCallHandle;
import dev.aicost.javaagent.instrumentation.common.Causes;
import java.util.Map;

/**
 * Reads anthropic-java's messages and stream events (the Messages API and its beta twin, whose classes mirror each
 * other) into {@link AnthropicTokens} and an {@link AiCallHandle}.
 */
final class AnthropicUsage {

  private AnthropicUsage() {}

  static void report(AiCallHandle h, Message m) {
    h.responseId(m.id()).responseModel(m.model().asString());
    m.stopReason().ifPresent(r -> h.finishReason(r.asString()));
    Usage u = m.usage();
    u.serviceTier().ifPresent(t -> h.responseServiceTier(t.asString()));
    AnthropicTokens t = new AnthropicTokens();
    read(t, u);
    t.report(h);
  }

  static void report(AiCallHandle h, BetaMessage m) {
    h.responseId(m.id()).responseModel(m.model().asString());
    m.stopReason().ifPresent(r -> h.finishReason(r.asString()));
    BetaUsage u = m.usage();
    u.serviceTier().ifPresent(t -> h.responseServiceTier(t.asString()));
    AnthropicTokens t = new AnthropicTokens();
    read(t, u);
    t.report(h);
  }

  static void read(AnthropicTokens t, Usage u) {
    t.read(u.inputTokens(), u.outputTokens(), u.cacheReadInputTokens(), u.cacheCreationInputTokens());
    if (u.cacheCreation().isPresent()) {
      CacheCreation c = u.cacheCreation().get();
      t.split = true;
      t.write5m = c.ephemeral5mInputTokens();
      t.write1h = c.ephemeral1hInputTokens();
    }
    t.webSearches = u.serverToolUse().isPresent() ? u.serverToolUse().get().webSearchRequests() : 0;
  }

  static void read(AnthropicTokens t, BetaUsage u) {
    t.read(u.inputTokens(), u.outputTokens(), u.cacheReadInputTokens(), u.cacheCreationInputTokens());
    if (u.cacheCreation().isPresent()) {
      BetaCacheCreation c = u.cacheCreation().get();
      t.split = true;
      t.write5m = c.ephemeral5mInputTokens();
      t.write1h = c.ephemeral1hInputTokens();
    }
    t.webSearches = u.serverToolUse().isPresent() ? u.serverToolUse().get().webSearchRequests() : 0;
  }

  /**
   * One streamed event. {@code message_start} carries the input side (and a provisional output count);
   * {@code message_delta} carries the cumulative output and, on newer API versions, the final input side.
   *
   * @return whether the event was a {@code message_delta}, after which the usage is final
   */
  static boolean onEvent(AiCallHandle h, AnthropicTokens t, RawMessageStreamEvent event) {
    if (event.messageStart().isPresent()) {
      Message m = event.messageStart().get().message();
      h.responseId(m.id()).responseModel(m.model().asString());
      m.usage().serviceTier().ifPresent(tier -> h.responseServiceTier(tier.asString()));
      read(t, m.usage());
      return false;
    }
    if (event.messageDelta().isPresent()) {
      RawMessageDeltaEvent d = event.messageDelta().get();
      d.delta().stopReason().ifPresent(r -> h.finishReason(r.asString()));
      MessageDeltaUsage u = d.usage();
      t.delta(u.outputTokens(), u.inputTokens(), u.cacheReadInputTokens(), u.cacheCreationInputTokens());
      if (u.serverToolUse().isPresent()) {
        t.webSearches = u.serverToolUse().get().webSearchRequests();
      }
      t.report(h);
      return true;
    }
    return false;
  }

  static boolean onEvent(AiCallHandle h, AnthropicTokens t, BetaRawMessageStreamEvent event) {
    if (event.messageStart().isPresent()) {
      BetaMessage m = event.messageStart().get().message();
      h.responseId(m.id()).responseModel(m.model().asString());
      m.usage().serviceTier().ifPresent(tier -> h.responseServiceTier(tier.asString()));
      read(t, m.usage());
      return false;
    }
    if (event.messageDelta().isPresent()) {
      BetaRawMessageDeltaEvent d = event.messageDelta().get();
      d.delta().stopReason().ifPresent(r -> h.finishReason(r.asString()));
      BetaMessageDeltaUsage u = d.usage();
      t.delta(u.outputTokens(), u.inputTokens(), u.cacheReadInputTokens(), u.cacheCreationInputTokens());
      if (u.serverToolUse().isPresent()) {
        t.webSearches = u.serverToolUse().get().webSearchRequests();
      }
      t.report(h);
      return true;
    }
    return false;
  }

  /**
   * {@code error.type}: the HTTP status when the API answered with an error; for an {@code error} event in a
   * stream (HTTP 200), Anthropic's error type such as {@code overloaded_error}; else the exception's class.
   */
  static String errorType(Throwable t) {
    Throwable c = Causes.unwrap(t);
    if (c instanceof SseException) {
      String type = sseErrorType((SseException) c);
      return type != null ? type : "sse_error";
    }
    if (c instanceof AnthropicServiceException) {
      return Integer.toString(((AnthropicServiceException) c).statusCode());
    }
    return c.getClass().getName();
  }

  private static String sseErrorType(SseException e) {
    try {
      Object body = e.body().convert(Map.class);
      if (body instanceof Map) {
        Object error = ((Map<?, ?>) body).get("error");
        Object type = error instanceof Map ? ((Map<?, ?>) error).get("type") : ((Map<?, ?>) body).get("type");
        return type instanceof String ? (String) type : null;
      }
    } catch (RuntimeException ignored) {
      // an unexpected body shape: fall back to a generic type
    }
    return null;
  }
}
