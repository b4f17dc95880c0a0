package dev.aicost.javaagent.instrumentation.anthropic;

import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.beta.messages.BetaMessage;
import com.anthropic.models.beta.messages.BetaRawMessageStreamEvent;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.aicost.bootstrap.AiCallBridge;
import dev.aicost.bootstrap.AiCallHandle;
import dev.aicost.bootstrap.AiCallStart;
import dev.aicost.bootstrap.ResponseReader;
import dev.aicost.javaagent.instrumentation.common.Causes;
import dev.aicost.javaagent.instrumentation.common.ObservedFutures;
import dev.aicost.javaagent.instrumentation.common.StreamObserver;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One anthropic-java Messages call (the GA or the beta service), from the advice's entry to the end of its response:
 * it starts the aicost call, wraps what the SDK returns, and ends the call exactly once when the message is parsed,
 * the stream ends, fails or is closed early, or the future fails or is cancelled.
 */
public final class AnthropicCall implements StreamObserver {

  private final AiCallHandle handle;
  private final AnthropicTokens tokens = new AnthropicTokens();
  private boolean startSeen;
  private boolean usageFinal;

  private AnthropicCall(AiCallHandle handle) {
    this.handle = handle;
  }

  /** Called on entry of {@code create}/{@code createStreaming}; returns {@code null} for calls we do not meter. */
  public static Object start(Object params, Object clientOptions, String method) {
    String model;
    Optional<String> inferenceGeo;
    if (params instanceof MessageCreateParams) {
      MessageCreateParams p = (MessageCreateParams) params;
      model = p.model().asString();
      inferenceGeo = p.inferenceGeo();
    } else if (params instanceof com.anthropic.models.beta.messages.MessageCreateParams) {
      com.anthropic.models.beta.messages.MessageCreateParams p =
          (com.anthropic.models.beta.messages.MessageCreateParams) params;
      model = p.model().asString();
      inferenceGeo = p.inferenceGeo();
    } else {
      return null;
    }
    AiCallStart start =
        AnthropicBackends.start(clientOptions, "chat")
            .requestModel(model)
            .stream("createStreaming".equals(method));
    if (AnthropicBackends.ANTHROPIC.equals(start.provider()) && inferenceGeo.isPresent()) {
      // Anthropic prices US-only inference (inference_geo "us") above the global rate
      start.region(inferenceGeo.get());
    }
    return new AnthropicCall(AiCallBridge.start(start));
  }

  /** Called on exit: ends the call on error, otherwise returns the SDK's result wrapped to observe it. */
  public static Object onReturn(Object call, Object result, Throwable error) {
    AnthropicCall c = (AnthropicCall) call;
    if (error != null) {
      c.fail(error);
      return result;
    }
    if (result instanceof CompletableFuture) {
      return ObservedFutures.observe(
          (CompletableFuture<?>) result,
          response ->
              response instanceof HttpResponseFor
                  ? new TracedHttpResponseFor<>(c, (HttpResponseFor<?>) response)
                  : response,
          c::fail,
          () -> c.handle.cancel("cancelled"));
    }
    if (result instanceof HttpResponseFor) {
      return new TracedHttpResponseFor<>(c, (HttpResponseFor<?>) result);
    }
    c.handle.usageUnavailable("unexpected_result").end();
    return result;
  }

  /** The application parsed a non-streaming response (or a stream, which is then wrapped). */
  Object onParsed(Object parsed) {
    if (parsed instanceof StreamResponse) {
      return new TracedStreamResponse<>(this, (StreamResponse<?>) parsed);
    }
    try {
      // The parsed models are immutable: they are read where the call completes (the recorder thread), not here. A
      // field missing from the response (a gateway that trims it, say) makes the usage invalid_usage there.
      if (parsed instanceof Message) {
        handle.endReading((Message) parsed, MESSAGE);
      } else if (parsed instanceof BetaMessage) {
        handle.endReading((BetaMessage) parsed, BETA_MESSAGE);
      } else {
        handle.usageUnavailable("unexpected_response").end();
      }
    } catch (RuntimeException e) {
      handle.usageUnavailable(AiCallHandle.INVALID_USAGE).end();
    }
    return parsed;
  }

  private static final ResponseReader<Message> MESSAGE = AnthropicUsage::report;
  private static final ResponseReader<BetaMessage> BETA_MESSAGE = AnthropicUsage::report;

  /** The raw response was closed without ever being parsed. */
  void onClosedUnparsed() {
    try {
      handle.usageUnavailable("response_not_parsed").end();
    } catch (Throwable ignored) {
      // never thrown into the application
    }
  }

  @Override
  public synchronized void onStreamItem(Object item) {
    try {
      boolean delta;
      if (item instanceof RawMessageStreamEvent) {
        RawMessageStreamEvent e = (RawMessageStreamEvent) item;
        startSeen |= e.messageStart().isPresent();
        delta = AnthropicUsage.onEvent(handle, tokens, e);
      } else if (item instanceof BetaRawMessageStreamEvent) {
        BetaRawMessageStreamEvent e = (BetaRawMessageStreamEvent) item;
        startSeen |= e.messageStart().isPresent();
        delta = AnthropicUsage.onEvent(handle, tokens, e);
      } else {
        delta = false;
      }
      usageFinal |= delta && startSeen;
    } catch (Throwable t) {
      try {
        handle.usageUnavailable(AiCallHandle.INVALID_USAGE);
      } catch (Throwable ignored) {
        // never thrown into the application
      }
    }
  }

  @Override
  public synchronized void onStreamComplete() {
    try {
      if (!usageFinal) {
        handle.usageUnavailable(startSeen ? "no_message_delta_in_stream" : "no_message_start_in_stream");
      }
      handle.end();
    } catch (Throwable ignored) {
      // never thrown into the application
    }
  }

  @Override
  public synchronized void onStreamError(Throwable error) {
    try {
      if (!usageFinal) {
        handle.usageUnavailable("stream_failed");
      }
      handle.fail(Causes.unwrap(error), AnthropicUsage.errorType(error));
    } catch (Throwable ignored) {
      // never thrown into the application
    }
  }

  /**
   * The application closed the stream before its end. Anthropic reports the output count only in the final
   * {@code message_delta}: without it, what was billed is unknown and the call is not priced.
   */
  synchronized void onStreamClosedEarly() {
    try {
      if (usageFinal) {
        handle.end();
      } else {
        handle.usageUnavailable("stream_closed_early").cancel("stream_closed_early");
      }
    } catch (Throwable ignored) {
      // never thrown into the application
    }
  }

  void fail(Throwable error) {
    try {
      handle.fail(Causes.unwrap(error), AnthropicUsage.errorType(error));
    } catch (Throwable ignored) {
      // never thrown into the application
    }
  }
}
