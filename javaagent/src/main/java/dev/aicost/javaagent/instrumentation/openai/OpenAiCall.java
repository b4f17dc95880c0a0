package dev.aicost.javaagent.instrumentation.openai;

import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.core.ClientOptions;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.aicost.bootstrap.AiCallBridge;
import dev.aicost.bootstrap.AiCallHandle;
import dev.aicost.bootstrap.AiCallStart;
import dev.aicost.bootstrap.ResponseReader;
import dev.aicost.javaagent.instrumentation.common.Causes;
import dev.aicost.javaagent.instrumentation.common.ClientEndpoint;
import dev.aicost.javaagent.instrumentation.common.ObservedFutures;
import dev.aicost.javaagent.instrumentation.common.StreamObserver;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * One openai-java API call, from the advice's entry to the end of its response: it starts the aicost call, wraps
 * what the SDK returns, and ends the call exactly once when the response is parsed, the stream ends, fails or is
 * closed early, or the future fails or is cancelled.
 */
public final class OpenAiCall implements StreamObserver {

  static final int CHAT = 0;
  static final int RESPONSES = 1;
  static final int EMBEDDINGS = 2;

  private final AiCallHandle handle;
  private final int kind;
  private final boolean includeUsage;
  private boolean usageSeen;
  /** A streamed chunk named the response (id, model, service tier): later chunks repeat them. */
  private boolean identified;
  private boolean terminalEventSeen;

  // package-private for OpenAiStreamTest
  OpenAiCall(AiCallHandle handle, int kind, boolean includeUsage) {
    this.handle = handle;
    this.kind = kind;
    this.includeUsage = includeUsage;
  }

  /** Called on entry of {@code create}/{@code createStreaming}; returns {@code null} for calls we do not meter. */
  public static Object start(Object params, Object clientOptions, String method) {
    boolean stream = "createStreaming".equals(method);
    AiCallStart start;
    int kind;
    boolean includeUsage = false;
    ClientEndpoint endpoint = endpoint(clientOptions);
    if (params instanceof ChatCompletionCreateParams) {
      ChatCompletionCreateParams p = (ChatCompletionCreateParams) params;
      kind = CHAT;
      start = endpoint.start("chat").requestModel(p.model().asString());
      p.serviceTier().ifPresent(t -> start.requestServiceTier(t.asString()));
      includeUsage = p.streamOptions().flatMap(ChatCompletionStreamOptions::includeUsage).orElse(false);
    } else if (params instanceof ResponseCreateParams) {
      ResponseCreateParams p = (ResponseCreateParams) params;
      kind = RESPONSES;
      start = endpoint.start("chat");
      p.model().ifPresent(m -> start.requestModel(OpenAiUsage.modelName(m)));
      p.serviceTier().ifPresent(t -> start.requestServiceTier(t.asString()));
    } else if (params instanceof EmbeddingCreateParams) {
      kind = EMBEDDINGS;
      start = endpoint.start("embeddings").requestModel(((EmbeddingCreateParams) params).model().asString());
    } else {
      return null;
    }
    start.stream(stream);
    return new OpenAiCall(AiCallBridge.start(start), kind, includeUsage);
  }

  /** The endpoint of the client last seen: derived once per client, not per call. */
  private static volatile ClientEndpoint lastEndpoint;

  private static ClientEndpoint endpoint(Object clientOptions) {
    ClientEndpoint endpoint = lastEndpoint;
    if (endpoint == null || !endpoint.isFor(clientOptions)) {
      String baseUrl;
      try {
        baseUrl = ((ClientOptions) clientOptions).baseUrl();
      } catch (RuntimeException e) {
        baseUrl = null;
      }
      endpoint = ClientEndpoint.of(clientOptions, provider(clientOptions), null, baseUrl);
      lastEndpoint = endpoint;
    }
    return endpoint;
  }

  /** Called on exit: ends the call on error, otherwise returns the SDK's result wrapped to observe it. */
  public static Object onReturn(Object call, Object result, Throwable error) {
    OpenAiCall c = (OpenAiCall) call;
    if (error != null) {
      c.fail(error);
      return result;
    }
    if (result instanceof CompletableFuture) {
      return c.wrapFuture((CompletableFuture<?>) result);
    }
    if (result instanceof HttpResponseFor) {
      return new TracedHttpResponseFor<>(c, (HttpResponseFor<?>) result);
    }
    c.handle.usageUnavailable("unexpected_result").end();
    return result;
  }

  private CompletableFuture<Object> wrapFuture(CompletableFuture<?> future) {
    return ObservedFutures.observe(
        future,
        response ->
            response instanceof HttpResponseFor
                ? new TracedHttpResponseFor<>(this, (HttpResponseFor<?>) response)
                : response,
        this::fail,
        () -> handle.cancel("cancelled"));
  }

  /** The application parsed a non-streaming response (or a stream, which is then wrapped). */
  Object onParsed(Object parsed) {
    try {
      if (parsed instanceof StreamResponse) {
        return new TracedStreamResponse<>(this, (StreamResponse<?>) parsed);
      }
      // The parsed models are immutable: they are read where the call completes (the recorder thread), not here.
      if (parsed instanceof ChatCompletion) {
        handle.endReading((ChatCompletion) parsed, CHAT_COMPLETION);
      } else if (parsed instanceof Response) {
        handle.endReading((Response) parsed, RESPONSE);
      } else if (parsed instanceof CreateEmbeddingResponse) {
        handle.endReading((CreateEmbeddingResponse) parsed, EMBEDDINGS_RESPONSE);
      } else {
        handle.usageUnavailable("unexpected_response").end();
      }
    } catch (RuntimeException e) {
      handle.usageUnavailable(AiCallHandle.INVALID_USAGE).end();
    }
    return parsed;
  }

  private static final ResponseReader<ChatCompletion> CHAT_COMPLETION = OpenAiUsage::report;
  private static final ResponseReader<Response> RESPONSE = OpenAiUsage::report;
  private static final ResponseReader<CreateEmbeddingResponse> EMBEDDINGS_RESPONSE = OpenAiUsage::report;

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
      if (item instanceof ChatCompletionChunk) {
        ChatCompletionChunk chunk = (ChatCompletionChunk) item;
        if (!identified) {
          identified = OpenAiUsage.reportIdentity(handle, chunk);
        }
        usageSeen |= OpenAiUsage.reportChunk(handle, chunk);
      } else if (item instanceof ResponseStreamEvent) {
        onResponseEvent((ResponseStreamEvent) item);
      }
    } catch (Throwable t) {
      try {
        handle.usageUnavailable(AiCallHandle.INVALID_USAGE);
      } catch (Throwable ignored) {
        // never thrown into the application
      }
    }
  }

  private void onResponseEvent(ResponseStreamEvent event) {
    if (event.created().isPresent()) {
      Response r = event.created().get().response();
      handle.responseId(r.id()).responseModel(OpenAiUsage.modelName(r.model()));
    } else if (event.completed().isPresent()) {
      terminal(event.completed().get().response());
    } else if (event.incomplete().isPresent()) {
      terminal(event.incomplete().get().response());
    } else if (event.failed().isPresent()) {
      terminal(event.failed().get().response());
    }
  }

  private void terminal(Response response) {
    terminalEventSeen = true;
    OpenAiUsage.report(handle, response);
    usageSeen = response.usage().isPresent();
  }

  @Override
  public synchronized void onStreamComplete() {
    try {
      if (!usageSeen) {
        handle.usageUnavailable(missingStreamUsageReason());
      }
      handle.end();
    } catch (Throwable ignored) {
      // never thrown into the application
    }
  }

  @Override
  public synchronized void onStreamError(Throwable error) {
    try {
      if (!usageSeen) {
        handle.usageUnavailable("stream_failed");
      }
      handle.fail(error, OpenAiUsage.errorType(error));
    } catch (Throwable ignored) {
      // never thrown into the application
    }
  }

  /** The application closed the stream before its end: what the provider billed is unknown unless usage came. */
  synchronized void onStreamClosedEarly() {
    try {
      if (usageSeen || terminalEventSeen) {
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
      handle.fail(Causes.unwrap(error), OpenAiUsage.errorType(error));
    } catch (Throwable ignored) {
      // never thrown into the application
    }
  }

  private String missingStreamUsageReason() {
    if (kind == CHAT && !includeUsage) {
      return "stream_options.include_usage_not_set";
    }
    return kind == RESPONSES && !terminalEventSeen ? "no_response_completed_event" : "no_usage_in_stream";
  }

  /**
   * The provider that bills the call. openai-java is also the client of Azure OpenAI and of the OpenAI-compatible
   * APIs. Azure is recognized from the client itself (an Azure API key credential, or openai-java 4's explicit Azure
   * URL path mode, as used with custom domains and private endpoints), from a base URL naming a deployment, or from
   * the host; the compatible APIs by host. Any other host (a gateway, a proxy, a mock) is {@code openai}.
   */
  static String provider(Object clientOptions) {
    String host = host(clientOptions);
    if (host == null) {
      return isAzureClient(clientOptions) ? "azure.ai.openai" : "openai";
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".openai.azure.com") || h.endsWith(".cognitiveservices.azure.com")
        || h.endsWith(".services.ai.azure.com") || h.endsWith(".azure-api.net")) {
      return "azure.ai.openai";
    }
    if (h.equals("api.mistral.ai")) {
      return "mistral_ai";
    }
    if (h.equals("api.deepseek.com")) {
      return "deepseek";
    }
    if (h.equals("api.x.ai")) {
      return "x_ai";
    }
    if (h.equals("api.groq.com")) {
      return "groq";
    }
    if (h.equals("api.together.xyz") || h.equals("api.together.ai")) {
      return "together_ai";
    }
    if (h.equals("api.fireworks.ai")) {
      return "fireworks_ai";
    }
    if (h.equals("generativelanguage.googleapis.com")) {
      return "gcp.gemini";
    }
    return isAzureClient(clientOptions) ? "azure.ai.openai" : "openai";
  }

  private static boolean isAzureClient(Object clientOptions) {
    ClientOptions options = (ClientOptions) clientOptions;
    try {
      if (options.credential() instanceof AzureApiKeyCredential) {
        return true;
      }
    } catch (RuntimeException e) {
      // no credential configured: not conclusive
    }
    Method pathMode = AZURE_URL_PATH_MODE;
    if (pathMode != null) {
      try {
        Object mode = pathMode.invoke(options);
        if (mode != null && !"AUTO".equals(mode.toString())) {
          return true;
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        // not conclusive
      }
    }
    try {
      String path = URI.create(options.baseUrl()).getPath();
      if (path != null) {
        // a base URL that names a deployment; "/openai/v1" alone is not conclusive (Groq uses it too)
        return path.contains("/openai/deployments/");
      }
    } catch (RuntimeException e) {
      // not conclusive
    }
    return false;
  }

  /** {@code ClientOptions.azureUrlPathMode()}, openai-java 4.x only (looked up, not linked, to keep 2.x working). */
  private static final Method AZURE_URL_PATH_MODE = azureUrlPathModeMethod();

  private static Method azureUrlPathModeMethod() {
    try {
      return ClientOptions.class.getMethod("azureUrlPathMode");
    } catch (NoSuchMethodException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static String host(Object clientOptions) {
    try {
      return ClientEndpoint.host(((ClientOptions) clientOptions).baseUrl());
    } catch (RuntimeException e) {
      return null;
    }
  }
}
