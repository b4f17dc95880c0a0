package dev.aicost.javaagent.instrumentation.genai;

import com.google.genai.HttpApiClient;
import com.google.genai.ResponseStream;
import com.google.genai.types.EmbedContentConfig;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.HttpOptions;
import dev.aicost.bootstrap.AiCallBridge;
import dev.aicost.bootstrap.AiCallHandle;
import dev.aicost.bootstrap.AiCallStart;
import dev.aicost.bootstrap.ResponseReader;
import dev.aicost.javaagent.instrumentation.common.Causes;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * One HTTP call made by google-genai's {@code Models} or {@code AsyncModels}: {@code generateContent},
 * {@code streamGenerateContent} or an embedding request. Each request of the automatic function-calling loop and of
 * automatic continuation is its own call, because each is billed on its own. The call ends exactly once: when the
 * response is parsed, the stream's own body ends, fails or is closed early, or the future fails or is cancelled.
 */
public final class GenAiCall {

  /** Streams in flight, keyed by the {@code ResponseStream} whose own HTTP body they read. */
  private static final Map<Object, GenAiCall> STREAMS = Collections.synchronizedMap(new WeakHashMap<>());

  private final AiCallHandle handle;
  /** The running usage of the latest streamed chunk that had one; reported when the stream ends. */
  private GenerateContentResponseUsageMetadata streamUsage;
  private boolean finishSeen;
  private boolean ended;

  private GenAiCall(AiCallHandle handle) {
    this.handle = handle;
  }

  /**
   * Called on entry of {@code privateGenerateContent}, {@code privateGenerateContentStream} and
   * {@code privateEmbedContent}: the model is the first argument, the request's config the last.
   */
  public static Object start(Object apiClient, String method, Object[] args) {
    // ApiClient is package-private before 2.x; HttpApiClient, the client every Client builds, is public.
    if (!(apiClient instanceof HttpApiClient) || args == null || args.length == 0) {
      return null;
    }
    HttpApiClient client = (HttpApiClient) apiClient;
    boolean embeddings = "privateEmbedContent".equals(method);
    boolean vertex = client.vertexAI();
    AiCallStart start =
        AiCallStart.of(vertex ? "gcp.vertex_ai" : "gcp.gemini", embeddings ? "embeddings" : "generate_content")
            .stream("privateGenerateContentStream".equals(method));
    if (args[0] instanceof String) {
      start.requestModel(modelName((String) args[0]));
    }
    if (vertex) {
      String location = client.location();
      start.region(location == null || location.isEmpty() ? "global" : location);
    }
    setServer(start, requestBaseUrl(args[args.length - 1]), client);
    return new GenAiCall(AiCallBridge.start(start));
  }

  /** Called on exit: ends the call on error, reads a response, registers a stream, or observes a future. */
  public static Object onReturn(Object call, Object result, Throwable error) {
    GenAiCall c = (GenAiCall) call;
    if (error != null) {
      c.fail(error);
      return result;
    }
    if (result instanceof CompletableFuture) {
      return c.observe((CompletableFuture<?>) result);
    }
    c.onResult(result);
    return result;
  }

  private void onResult(Object result) {
    try {
      if (result instanceof ResponseStream) {
        synchronized (this) {
          if (!ended) {
            STREAMS.put(result, this);
          }
        }
        return;
      }
      // The responses are immutable: they are read where the call completes (the recorder thread), not here.
      if (result instanceof GenerateContentResponse) {
        endReading((GenerateContentResponse) result, GENERATE_CONTENT);
        return;
      }
      if (result instanceof EmbedContentResponse) {
        endReading((EmbedContentResponse) result, EMBED_CONTENT);
        return;
      }
      handle.usageUnavailable("unexpected_result");
    } catch (RuntimeException e) {
      handle.usageUnavailable(AiCallHandle.INVALID_USAGE);
    }
    end();
  }

  private static final ResponseReader<GenerateContentResponse> GENERATE_CONTENT = GenAiUsage::report;
  private static final ResponseReader<EmbedContentResponse> EMBED_CONTENT = GenAiUsage::report;

  /**
   * Returns a future that completes after this call has seen the response: a stream is registered before any
   * dependent stage can read from it. Cancelling the returned future cancels the SDK's and ends the call as
   * {@code cancelled}.
   */
  private CompletableFuture<Object> observe(CompletableFuture<?> future) {
    CompletableFuture<Object> wrapped = new CompletableFuture<>();
    future.whenComplete(
        (response, error) -> {
          if (error != null) {
            fail(error);
            wrapped.completeExceptionally(error);
            return;
          }
          try {
            onResult(response);
          } catch (Throwable ignored) {
            // never let metering change what the application receives
          }
          wrapped.complete(response);
        });
    wrapped.whenComplete(
        (response, error) -> {
          if (error instanceof CancellationException) {
            future.cancel(false);
            try {
              synchronized (this) {
                ended = true;
              }
              handle.cancel("cancelled");
            } catch (Throwable ignored) {
              // metering must not change what the application sees
            }
          }
        });
    return wrapped;
  }

  // ---- streams: called by the advice on ResponseStream and its iterator ----

  /** An element read from {@code stream}'s own HTTP body (or the failure to read one). */
  public static void onStreamElement(Object stream, Object element, Throwable error, boolean bodyEnded) {
    GenAiCall c = STREAMS.get(stream);
    if (c == null) {
      return;
    }
    if (error != null) {
      if (!(error instanceof NoSuchElementException)) { // next() past the end: the caller's mistake, not the stream's
        STREAMS.remove(stream);
        c.onStreamError(error);
      }
      return;
    }
    c.onChunk(element);
    if (bodyEnded) {
      STREAMS.remove(stream);
      c.onStreamComplete();
    }
  }

  /** The iterator of {@code stream} reported that nothing is left to read. */
  public static void onStreamExhausted(Object stream) {
    GenAiCall c = STREAMS.remove(stream);
    if (c != null) {
      c.onStreamComplete();
    }
  }

  /** The application (or the SDK, between continuation requests) closed {@code stream}. */
  public static void onStreamClosed(Object stream) {
    GenAiCall c = STREAMS.remove(stream);
    if (c != null) {
      c.onStreamClosedEarly();
    }
  }

  private synchronized void onChunk(Object element) {
    try {
      if (element instanceof GenerateContentResponse) {
        GenerateContentResponse chunk = (GenerateContentResponse) element;
        GenAiUsage.reportResponse(handle, chunk);
        // Google repeats the running usage on the chunks; the final chunk's is complete.
        if (chunk.usageMetadata().isPresent()) {
          streamUsage = chunk.usageMetadata().get();
        }
        finishSeen |= GenAiUsage.isFinal(chunk);
      }
    } catch (Throwable t) {
      invalidUsage();
    }
  }

  /** The body ended: the usage of its final chunk is the complete one. */
  private synchronized void onStreamComplete() {
    if (!claimEnd()) {
      return;
    }
    try {
      if (streamUsage == null) {
        handle.usageUnavailable("no_usage_in_stream");
      } else {
        // Without a final chunk (one with a finish reason) the generation did not end as Google reports it: before
        // 2.0 the SDK hands an error event on as an empty chunk. The running usage is then not the billed one.
        reportStreamUsage(finishSeen, "stream_ended_without_final_chunk");
      }
      handle.end();
    } catch (Throwable ignored) {
      // never thrown into the application
    }
  }

  private synchronized void onStreamError(Throwable error) {
    if (!claimEnd()) {
      return;
    }
    try {
      reportStreamUsage(finishSeen, "stream_failed");
      handle.fail(Causes.unwrap(error), GenAiUsage.errorType(error));
    } catch (Throwable ignored) {
      // never thrown into the application
    }
  }

  /**
   * Closed before its body ended. Once the final chunk (with a finish reason and the complete usage) has arrived, the
   * call is complete; before that, the running usage of the last chunk is not what Google bills for a generation
   * that was cut off, so the usage is reported unavailable rather than guessed.
   */
  private synchronized void onStreamClosedEarly() {
    if (!claimEnd()) {
      return;
    }
    try {
      if (finishSeen && streamUsage != null) {
        reportStreamUsage(true, null);
        handle.end();
      } else {
        handle.usageUnavailable("stream_closed_early").cancel("stream_closed_early");
      }
    } catch (Throwable ignored) {
      // never thrown into the application
    }
  }

  /** Reports the last usage seen if it is complete, else the reason it is unavailable. */
  private void reportStreamUsage(boolean complete, String unavailableReason) {
    if (complete && streamUsage != null) {
      try {
        GenAiUsage.reportUsage(handle, streamUsage);
      } catch (RuntimeException e) {
        invalidUsage();
      }
    } else {
      handle.usageUnavailable(unavailableReason);
    }
  }

  private void invalidUsage() {
    try {
      handle.usageUnavailable(AiCallHandle.INVALID_USAGE);
    } catch (Throwable ignored) {
      // never thrown into the application
    }
  }

  /** True for the first caller only: every way the call can end (result, stream, failure) claims the end here. */
  private synchronized boolean claimEnd() {
    if (ended) {
      return false;
    }
    ended = true;
    return true;
  }

  private <R> void endReading(R response, ResponseReader<? super R> reader) {
    if (!claimEnd()) {
      return;
    }
    try {
      handle.endReading(response, reader);
    } catch (Throwable ignored) {
      // never thrown into the application
    }
  }

  private void end() {
    if (!claimEnd()) {
      return;
    }
    try {
      handle.end();
    } catch (Throwable ignored) {
      // never thrown into the application
    }
  }

  void fail(Throwable error) {
    if (!claimEnd()) {
      return;
    }
    try {
      handle.fail(Causes.unwrap(error), GenAiUsage.errorType(error));
    } catch (Throwable ignored) {
      // never thrown into the application
    }
  }

  // ---- request details ----

  /**
   * The model as the application named it, without the resource prefix the SDK also accepts ({@code models/},
   * {@code publishers/google/models/}, {@code projects/p/locations/l/publishers/google/models/}). Tuned models and
   * endpoints keep their full name.
   */
  static String modelName(String model) {
    int i = model.lastIndexOf("models/");
    if (i < 0) {
      return model;
    }
    String prefix = model.substring(0, i);
    if (prefix.isEmpty() || prefix.endsWith("/publishers/google/") || prefix.equals("publishers/google/")) {
      return model.substring(i + "models/".length());
    }
    return model;
  }

  /** A per-request base URL ({@code config.httpOptions().baseUrl()}), which overrides the client's. */
  private static String requestBaseUrl(Object config) {
    Optional<HttpOptions> options = Optional.empty();
    if (config instanceof GenerateContentConfig) {
      options = ((GenerateContentConfig) config).httpOptions();
    } else if (config instanceof EmbedContentConfig) {
      options = ((EmbedContentConfig) config).httpOptions();
    }
    return options.isPresent() ? options.get().baseUrl().orElse(null) : null;
  }

  private static void setServer(AiCallStart start, String requestBaseUrl, HttpApiClient client) {
    try {
      String baseUrl = requestBaseUrl != null ? requestBaseUrl : clientBaseUrl(client);
      if (baseUrl == null) {
        return;
      }
      URI uri = URI.create(baseUrl);
      if (uri.getHost() == null) {
        return;
      }
      int port = uri.getPort();
      if (port < 0) {
        port = "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
      }
      start.server(uri.getHost(), port);
    } catch (RuntimeException e) {
      // no server attributes rather than no span
    }
  }

  private static volatile Method httpOptionsAccessor;
  private static volatile Field httpOptionsField;

  /**
   * The client's base URL, which its constructor always resolves (the API's default host, the regional Vertex AI
   * host, or the one the application set). Newer versions expose {@code ApiClient.httpOptions()}; older ones keep it
   * in the package-private field of the same name.
   */
  static String clientBaseUrl(HttpApiClient client) {
    try {
      Object options;
      Method m = httpOptionsAccessor;
      Field f = httpOptionsField;
      if (m == null && f == null) {
        try {
          m = HttpApiClient.class.getMethod("httpOptions");
          m.setAccessible(true); // declared by ApiClient, which is not public before 2.x
          httpOptionsAccessor = m;
        } catch (NoSuchMethodException e) {
          f = HttpApiClient.class.getSuperclass().getDeclaredField("httpOptions");
          f.setAccessible(true);
          httpOptionsField = f;
        }
      }
      options = m != null ? m.invoke(client) : f.get(client);
      return options instanceof HttpOptions ? ((HttpOptions) options).baseUrl().orElse(null) : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
