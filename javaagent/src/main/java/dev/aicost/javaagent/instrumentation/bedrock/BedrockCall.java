package dev.aicost.javaagent.instrumentation.bedrock;

import dev.aicost.bootstrap.AiCallBridge;
import dev.aicost.bootstrap.AiCallHandle;
import dev.aicost.bootstrap.AiCallStart;
import dev.aicost.bootstrap.ResponseReader;
import dev.aicost.javaagent.instrumentation.common.Causes;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;

/**
 * One Bedrock Runtime API call, from {@code beforeExecution} to its end: the response (Converse, InvokeModel), or the
 * end, failure or early cancellation of its event stream (ConverseStream, InvokeModelWithResponseStream). It is kept
 * in the call's {@code ExecutionAttributes}; every method is guarded so that nothing reaches the application.
 */
public final class BedrockCall {

  static final int CONVERSE = 0;
  static final int CONVERSE_STREAM = 1;
  static final int INVOKE = 2;
  static final int INVOKE_STREAM = 3;

  /** Response bodies larger than this are not parsed for a finish reason (large embedding batches). */
  private static final int MAX_PARSED_BODY = 1 << 20;

  private static final String REQUEST_ID = "x-amzn-RequestId";

  private final AiCallHandle handle;
  private final int kind;
  private final String family;
  private final boolean embeddings;
  /** InvokeModelWithResponseStream: the family's own counts, and those of {@code amazon-bedrock-invocationMetrics}. */
  private final BedrockUsage nativeUsage = new BedrockUsage();
  private final BedrockUsage metricsUsage = new BedrockUsage();
  /** The stream's last event (stop reason, invocation metrics, Nova metadata) was seen: its counts are final. */
  private boolean terminalSeen;
  private boolean streamObserved;
  private boolean usageReported;
  private boolean ended;

  private BedrockCall(AiCallHandle handle, int kind, String family, boolean embeddings) {
    this.handle = handle;
    this.kind = kind;
    this.family = family;
    this.embeddings = embeddings;
  }

  /** Starts metering if {@code request} is one of the four model-invocation operations; else {@code null}. */
  static BedrockCall start(SdkRequest request, ExecutionAttributes attributes) {
    String modelId;
    int kind;
    String tier;
    if (request instanceof ConverseRequest) {
      modelId = ((ConverseRequest) request).modelId();
      kind = CONVERSE;
      tier = BedrockUsage.serviceTier(request);
    } else if (request instanceof ConverseStreamRequest) {
      modelId = ((ConverseStreamRequest) request).modelId();
      kind = CONVERSE_STREAM;
      tier = BedrockUsage.serviceTier(request);
    } else if (request instanceof InvokeModelRequest) {
      modelId = ((InvokeModelRequest) request).modelId();
      kind = INVOKE;
      tier = stringField(request, "X-Amzn-Bedrock-Service-Tier");
    } else if (request instanceof InvokeModelWithResponseStreamRequest) {
      modelId = ((InvokeModelWithResponseStreamRequest) request).modelId();
      kind = INVOKE_STREAM;
      tier = stringField(request, "X-Amzn-Bedrock-Service-Tier");
    } else {
      return null;
    }
    String model = BedrockModels.requestModel(modelId);
    String operation = kind == CONVERSE || kind == CONVERSE_STREAM ? "chat" : BedrockModels.operation(model);
    AiCallStart start =
        AiCallStart.of("aws.bedrock", operation)
            .requestModel(model)
            .stream(kind == CONVERSE_STREAM || kind == INVOKE_STREAM);
    if (tier != null) {
      start.requestServiceTier(tier);
    }
    Region region = attributes.getAttribute(AwsExecutionAttribute.AWS_REGION);
    if (region != null) {
      start.region(region.id());
    }
    setServer(start, attributes.getAttribute(SdkExecutionAttribute.CLIENT_ENDPOINT));
    return new BedrockCall(
        AiCallBridge.start(start), kind, BedrockModels.family(model), "embeddings".equals(operation));
  }

  private static String stringField(Object pojo, String locationName) {
    Object v = BedrockUsage.field(pojo, locationName);
    return v instanceof String ? (String) v : null;
  }

  private static void setServer(AiCallStart start, URI endpoint) {
    if (endpoint == null || endpoint.getHost() == null) {
      return;
    }
    int port = endpoint.getPort();
    if (port < 0) {
      port = "http".equalsIgnoreCase(endpoint.getScheme()) ? 80 : 443;
    }
    start.server(endpoint.getHost(), port);
  }

  boolean isStream() {
    return kind == CONVERSE_STREAM || kind == INVOKE_STREAM;
  }

  /** A stream handler will report this call's events and end it. */
  synchronized void streamObserved() {
    streamObserved = true;
  }

  // ------------------------------------------------------------------ interceptor callbacks

  /**
   * {@code afterExecution}: a non-streaming response is complete; a streaming one has only its headers. A complete
   * response ends the call at once and is read where the call completes (the recorder thread in the agent), not on
   * the thread that waits for it: the SDK's response objects, its HTTP headers and {@link SdkBytes} do not change.
   */
  synchronized void onResponse(SdkResponse response, SdkHttpResponse http) {
    if (ended) {
      return;
    }
    try {
      requestId(http);
      if (isStream()) {
        if (!streamObserved) {
          handle.usageUnavailable("stream_not_observed");
          end();
        }
        return;
      }
      if (response instanceof ConverseResponse) {
        handle.endReading((ConverseResponse) response, CONVERSE_READER);
        ended = true;
        return;
      }
      if (response instanceof InvokeModelResponse) {
        handle.endReading(new InvokeResult((InvokeModelResponse) response, http, family, embeddings), INVOKE_READER);
        ended = true;
        return;
      }
    } catch (Throwable t) {
      safely(() -> handle.usageUnavailable(AiCallHandle.INVALID_USAGE));
    }
    end();
  }

  private static final ResponseReader<ConverseResponse> CONVERSE_READER = BedrockCall::readConverse;
  private static final ResponseReader<InvokeResult> INVOKE_READER = BedrockCall::readInvoke;

  /** What reading an InvokeModel response needs besides the response: its headers and the request's model family. */
  static final class InvokeResult {
    final InvokeModelResponse response;
    final SdkHttpResponse http;
    final String family;
    final boolean embeddings;

    InvokeResult(InvokeModelResponse response, SdkHttpResponse http, String family, boolean embeddings) {
      this.response = response;
      this.http = http;
      this.family = family;
      this.embeddings = embeddings;
    }
  }

  static void readConverse(AiCallHandle handle, ConverseResponse r) {
    String stop = r.stopReasonAsString();
    if (stop != null) {
      handle.finishReason(stop);
    }
    converseMetadata(handle, r);
    reportOrUnavailable(handle, BedrockUsage.fromTokenUsage(r.usage()), "no_usage_in_response");
  }

  private void requestId(SdkHttpResponse http) {
    if (http != null) {
      Optional<String> id = http.firstMatchingHeader(REQUEST_ID);
      if (id.isPresent()) {
        handle.responseId(id.get());
      }
    }
  }

  private static void converseMetadata(AiCallHandle handle, Object responseOrEvent) {
    String tier = BedrockUsage.serviceTier(responseOrEvent);
    if (tier != null) {
      handle.responseServiceTier(tier);
    }
    String routed = BedrockUsage.routedModel(responseOrEvent);
    if (routed != null) {
      handle.responseModel(BedrockModels.requestModel(routed));
    }
  }

  static void readInvoke(AiCallHandle handle, InvokeResult result) {
    InvokeModelResponse r = result.response;
    SdkHttpResponse http = result.http;
    if (http != null) {
      Optional<String> tier = http.firstMatchingHeader("X-Amzn-Bedrock-Service-Tier");
      if (tier.isPresent()) {
        handle.responseServiceTier(tier.get());
      }
    }
    BedrockUsage usage = BedrockUsage.fromHeaders(http);
    SdkBytes body = r.body();
    JsonNode json = null;
    if (body != null
        && (!usage.isKnown() || (body.asByteArrayUnsafe().length <= MAX_PARSED_BODY && !result.embeddings))) {
      json = parse(body.asByteArrayUnsafe());
    }
    if (json != null) {
      String stop = finishReason(result.family, json);
      if (stop != null) {
        handle.finishReason(stop);
      }
      BedrockUsage fromBody = BedrockUsage.fromBody(result.family, json);
      if (!usage.isKnown()) {
        usage = fromBody;
      } else if (fromBody.cacheWrite1h >= 0) {
        usage.cacheWrite1h = fromBody.cacheWrite1h; // the headers do not split cache writes by TTL
      }
    }
    reportOrUnavailable(handle, usage, "no_usage_in_response");
  }

  private static JsonNode parse(byte[] bytes) {
    try {
      return JsonNode.parser().parse(bytes);
    } catch (RuntimeException e) {
      return null; // not JSON (an image, or a non-JSON accept type): no body usage
    }
  }

  /** The stop reason of a native InvokeModel body, in the family's words. */
  private static String finishReason(String family, JsonNode body) {
    switch (family) {
      case BedrockModels.FAMILY_ANTHROPIC:
      case BedrockModels.FAMILY_LLAMA:
        return BedrockUsage.string(body, "stop_reason");
      case BedrockModels.FAMILY_NOVA:
        return BedrockUsage.string(body, "stopReason");
      case BedrockModels.FAMILY_TITAN:
        return BedrockUsage.string(first(body, "results"), "completionReason");
      case BedrockModels.FAMILY_MISTRAL:
        return BedrockUsage.string(first(body, "outputs"), "stop_reason");
      case BedrockModels.FAMILY_COHERE:
        return BedrockUsage.string(body, "finish_reason");
      default:
        return null;
    }
  }

  private static JsonNode first(JsonNode object, String field) {
    if (object == null || !object.isObject()) {
      return null;
    }
    JsonNode array = object.asObject().get(field);
    if (array == null || !array.isArray()) {
      return null;
    }
    List<JsonNode> items = array.asArray();
    return items.isEmpty() ? null : items.get(0);
  }

  /** Reports the usage if it is known, else why it is not; returns whether it was reported. */
  private static boolean reportOrUnavailable(AiCallHandle handle, BedrockUsage usage, String reason) {
    if (usage.report(handle)) {
      return true;
    }
    handle.usageUnavailable(reason);
    return false;
  }

  /** {@code onExecutionFailure}, or the failure of the event stream. */
  synchronized void fail(Throwable error) {
    if (ended) {
      return;
    }
    ended = true;
    safely(() -> {
      Throwable cause = Causes.unwrap(error);
      if (cause instanceof CancellationException) {
        if (!usageReported) {
          handle.usageUnavailable("cancelled");
        }
        handle.cancel("cancelled");
      } else {
        if (isStream() && !usageReported) {
          handle.usageUnavailable("stream_failed");
        }
        handle.fail(cause, errorType(cause));
      }
    });
  }

  private void end() {
    if (!ended) {
      ended = true;
      safely(handle::end);
    }
  }

  // ------------------------------------------------------------------ stream callbacks

  /** The initial response of an event stream: its headers carry the request id. */
  synchronized void onStreamResponse(Object response) {
    if (ended || !(response instanceof AwsResponse)) {
      return;
    }
    try {
      String id = ((AwsResponse) response).responseMetadata().requestId();
      if (id != null && !"UNKNOWN".equals(id)) {
        handle.responseId(id);
      }
    } catch (Throwable ignored) {
      // no response id rather than no span
    }
  }

  /** One ConverseStream event. */
  synchronized void onConverseEvent(Object event) {
    if (ended) {
      return;
    }
    try {
      if (event instanceof MessageStopEvent) {
        String stop = ((MessageStopEvent) event).stopReasonAsString();
        if (stop != null) {
          handle.finishReason(stop);
        }
      } else if (event instanceof ConverseStreamMetadataEvent) {
        ConverseStreamMetadataEvent m = (ConverseStreamMetadataEvent) event;
        converseMetadata(handle, m);
        BedrockUsage usage = BedrockUsage.fromTokenUsage(m.usage());
        if (usage.report(handle)) {
          usageReported = true;
        }
      }
    } catch (Throwable t) {
      safely(() -> handle.usageUnavailable(AiCallHandle.INVALID_USAGE));
    }
  }

  /** One InvokeModelWithResponseStream event: a chunk of the model's native stream. */
  synchronized void onInvokeEvent(Object event) {
    if (ended || !(event instanceof PayloadPart)) {
      return;
    }
    try {
      SdkBytes bytes = ((PayloadPart) event).bytes();
      JsonNode chunk = bytes == null ? null : parse(bytes.asByteArrayUnsafe());
      if (chunk == null || !chunk.isObject()) {
        return;
      }
      Optional<JsonNode> metrics = chunk.field("amazon-bedrock-invocationMetrics");
      if (metrics.isPresent()) {
        metricsUsage.invocationMetrics(metrics.get());
        terminalSeen = true;
      }
      String stop = nativeChunk(chunk);
      if (stop != null) {
        handle.finishReason(stop);
        terminalSeen = true;
      }
    } catch (Throwable t) {
      safely(() -> handle.usageUnavailable(AiCallHandle.INVALID_USAGE));
    }
  }

  /** Reads the family's own stream usage from a chunk; returns the chunk's stop reason, if it has one. */
  private String nativeChunk(JsonNode chunk) {
    switch (family) {
      case BedrockModels.FAMILY_ANTHROPIC:
        // message_start: input and cache counts; message_delta: the final output count and the stop reason.
        String type = BedrockUsage.string(chunk, "type");
        if ("message_start".equals(type)) {
          nativeUsage.anthropic(chunk.field("message").flatMap(m -> m.field("usage")).orElse(null));
        } else if ("message_delta".equals(type)) {
          nativeUsage.anthropic(chunk.field("usage").orElse(null));
          return BedrockUsage.string(chunk.field("delta").orElse(null), "stop_reason");
        }
        return null;
      case BedrockModels.FAMILY_NOVA:
        Optional<JsonNode> metadata = chunk.field("metadata");
        if (metadata.isPresent()) {
          nativeUsage.nova(metadata.get().field("usage").orElse(null));
          terminalSeen = true;
        }
        return BedrockUsage.string(chunk.field("messageStop").orElse(null), "stopReason");
      case BedrockModels.FAMILY_TITAN:
        long titanIn = BedrockUsage.number(chunk, "inputTextTokenCount");
        long titanOut = BedrockUsage.number(chunk, "totalOutputTextTokenCount");
        if (titanIn >= 0) {
          nativeUsage.input = titanIn;
        }
        if (titanOut >= 0) {
          nativeUsage.output = titanOut;
        }
        return BedrockUsage.string(chunk, "completionReason");
      case BedrockModels.FAMILY_LLAMA:
        long prompt = BedrockUsage.number(chunk, "prompt_token_count");
        long generated = BedrockUsage.number(chunk, "generation_token_count");
        if (prompt >= 0) {
          nativeUsage.input = prompt;
        }
        if (generated >= 0) {
          nativeUsage.output = generated;
        }
        return BedrockUsage.string(chunk, "stop_reason");
      case BedrockModels.FAMILY_MISTRAL:
        return BedrockUsage.string(first(chunk, "outputs"), "stop_reason");
      case BedrockModels.FAMILY_COHERE:
        return BedrockUsage.string(chunk, "finish_reason");
      default:
        return null;
    }
  }

  /**
   * The stream's counts: input and output from the invocation metrics when present (family-independent), else the
   * family's own; cache counts from whichever has them (the metrics carry none for Anthropic). Unknown until the
   * stream's last event: a cut stream's partial counts are not reported as final.
   */
  private BedrockUsage invokeStreamUsage() {
    BedrockUsage u = new BedrockUsage();
    if (!terminalSeen) {
      return u;
    }
    BedrockUsage counts = metricsUsage.isKnown() ? metricsUsage : nativeUsage;
    u.input = counts.input;
    u.output = counts.output;
    u.cacheRead = Math.max(metricsUsage.cacheRead, nativeUsage.cacheRead);
    u.cacheWrite = Math.max(metricsUsage.cacheWrite, nativeUsage.cacheWrite);
    u.cacheWrite1h = nativeUsage.cacheWrite1h;
    return u;
  }

  /** The stream ended normally (the subscriber's {@code onComplete}, or the handler's {@code complete()}). */
  synchronized void onStreamComplete() {
    if (ended) {
      return;
    }
    safely(() -> {
      if (kind == INVOKE_STREAM) {
        usageReported |= reportOrUnavailable(handle, invokeStreamUsage(), "no_usage_in_stream");
      } else if (!usageReported) {
        handle.usageUnavailable("no_usage_in_stream");
      }
    });
    end();
  }

  /** The application cancelled its subscription before the end: billed, but the counts are unknown. */
  synchronized void onStreamCancelled() {
    if (ended) {
      return;
    }
    ended = true;
    safely(() -> {
      if (kind == INVOKE_STREAM && invokeStreamUsage().report(handle)) {
        usageReported = true;
      }
      if (usageReported) {
        handle.end();
      } else {
        handle.usageUnavailable("stream_closed_early").cancel("stream_closed_early");
      }
    });
  }

  // ------------------------------------------------------------------ errors

  /**
   * {@code error.type}: the HTTP status when Bedrock answered with an error; for an exception event inside a 200
   * event stream that an SDK does not map to a status (older SDKs), the AWS error code
   * ({@code modelStreamErrorException}); else the exception's class.
   */
  static String errorType(Throwable t) {
    Throwable c = Causes.unwrap(t);
    if (c instanceof SdkServiceException) {
      int status = ((SdkServiceException) c).statusCode();
      if (status >= 400) {
        return Integer.toString(status);
      }
      if (c instanceof AwsServiceException) {
        AwsErrorDetails details = ((AwsServiceException) c).awsErrorDetails();
        if (details != null && details.errorCode() != null && !details.errorCode().isEmpty()) {
          return details.errorCode();
        }
      }
    }
    return c.getClass().getName();
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (Throwable ignored) {
      // metering must never change what the application sees
    }
  }
}
