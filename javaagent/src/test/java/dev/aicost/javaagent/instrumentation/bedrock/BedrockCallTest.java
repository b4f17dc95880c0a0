package dev.aicost.javaagent.instrumentation.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.bootstrap.AiCallBridge;
import dev.aicost.bootstrap.AiCallHandle;
import dev.aicost.bootstrap.AiCallSink;
import dev.aicost.bootstrap.ResponseReader;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * A complete Bedrock response ends the call in {@code afterExecution} and is read where the call completes (the
 * recorder thread in the agent), not on the thread that waits for the response. The sink here keeps the reader
 * instead of running it, as the recorder does until its thread picks the call up.
 */
class BedrockCallTest {

  private static final String HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";

  /** Every call made on the handle: "method(args) on thread". */
  private final List<String> calls = new ArrayList<>();
  private final AtomicReference<Object> pendingResponse = new AtomicReference<>();
  private final AtomicReference<ResponseReader<Object>> pendingReader = new AtomicReference<>();
  private AiCallSink sink;

  @BeforeEach
  void installSink() {
    sink = start -> handle();
    AiCallBridge.install(sink);
  }

  @AfterEach
  void uninstallSink() {
    AiCallBridge.uninstall(sink);
  }

  @SuppressWarnings("unchecked")
  private AiCallHandle handle() {
    return (AiCallHandle) Proxy.newProxyInstance(
        BedrockCallTest.class.getClassLoader(), new Class<?>[] {AiCallHandle.class},
        (proxy, method, args) -> {
          if (method.getName().equals("endReading")) {
            pendingResponse.set(args[0]);
            pendingReader.set((ResponseReader<Object>) args[1]);
          }
          synchronized (calls) {
            calls.add(method.getName() + (args == null ? "()" : List.of(args).toString()) + " on "
                + Thread.currentThread().getName());
          }
          return method.getReturnType() == AiCallHandle.class ? proxy : null;
        });
  }

  /** Runs the kept reader as the recorder would: later, on its own thread, with the same handle. */
  private void readOnRecorderThread(AiCallHandle handle) throws InterruptedException {
    Thread recorder = new Thread(() -> pendingReader.get().read(handle, pendingResponse.get()), "recorder");
    recorder.start();
    recorder.join();
  }

  private List<String> callsOn(String thread) {
    synchronized (calls) {
      return calls.stream().filter(c -> c.endsWith(" on " + thread)).collect(java.util.stream.Collectors.toList());
    }
  }

  /** On the thread that waited for the response: the request id from the headers, then the end; nothing read. */
  private void assertCallerOnlyIdentifiedAndEnded(String requestId) {
    List<String> onCaller = callsOn(Thread.currentThread().getName());
    assertThat(onCaller).hasSize(2);
    assertThat(onCaller.get(0)).startsWith("responseId[" + requestId + "]");
    assertThat(onCaller.get(1)).startsWith("endReading[");
  }

  @Test
  void aConverseResponseEndsTheCallAndIsReadOnTheRecorderThread() throws Exception {
    BedrockCall call =
        BedrockCall.start(ConverseRequest.builder().modelId(HAIKU).build(), new ExecutionAttributes());
    SdkHttpResponse http =
        SdkHttpResponse.builder().statusCode(200).putHeader("x-amzn-RequestId", "req-1").build();
    ConverseResponse response =
        ConverseResponse.builder()
            .stopReason(StopReason.END_TURN)
            .usage(TokenUsage.builder().inputTokens(1000).outputTokens(100).totalTokens(1100).build())
            .build();

    call.onResponse(response, http);

    String caller = Thread.currentThread().getName();
    assertCallerOnlyIdentifiedAndEnded("req-1");
    assertThat(pendingResponse.get()).isSameAs(response);

    readOnRecorderThread(handle());
    assertThat(callsOn("recorder"))
        .containsExactly(
            "finishReason[end_turn] on recorder",
            "usage[1000, 100] on recorder",
            "cacheReadTokens[0] on recorder",
            "cacheWrite5mTokens[0] on recorder",
            "cacheWrite1hTokens[0] on recorder");

    // the call has ended: a late failure from the SDK does not end it again
    call.fail(new IllegalStateException("late"));
    assertThat(callsOn(caller)).hasSize(2);
  }

  @Test
  void anInvokeModelResponseIsReadFromItsHeadersAndBodyOnTheRecorderThread() throws Exception {
    BedrockCall call =
        BedrockCall.start(InvokeModelRequest.builder().modelId(HAIKU).build(), new ExecutionAttributes());
    SdkHttpResponse http =
        SdkHttpResponse.builder()
            .statusCode(200)
            .putHeader("x-amzn-RequestId", "req-2")
            .putHeader("X-Amzn-Bedrock-Input-Token-Count", "1000")
            .putHeader("X-Amzn-Bedrock-Output-Token-Count", "100")
            .putHeader("X-Amzn-Bedrock-Cache-Write-Input-Token-Count", "300")
            .build();
    InvokeModelResponse response =
        InvokeModelResponse.builder()
            .contentType("application/json")
            .body(SdkBytes.fromUtf8String(
                "{\"type\":\"message\",\"stop_reason\":\"max_tokens\",\"usage\":{\"input_tokens\":1000,"
                    + "\"output_tokens\":100,\"cache_creation_input_tokens\":300,"
                    + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":100,\"ephemeral_1h_input_tokens\":200}}}"))
            .build();

    call.onResponse(response, http);

    assertCallerOnlyIdentifiedAndEnded("req-2");

    readOnRecorderThread(handle());
    // the headers' counts (Bedrock's input excludes the cache), the body's stop reason and its 1-hour split
    assertThat(callsOn("recorder"))
        .containsExactly(
            "finishReason[max_tokens] on recorder",
            "usage[1300, 100] on recorder",
            "cacheReadTokens[0] on recorder",
            "cacheWrite5mTokens[100] on recorder",
            "cacheWrite1hTokens[200] on recorder");
  }

  @Test
  void anInvokeModelResponseWithoutUsageSaysSoOnTheRecorderThread() throws Exception {
    BedrockCall call =
        BedrockCall.start(InvokeModelRequest.builder().modelId(HAIKU).build(), new ExecutionAttributes());
    call.onResponse(
        InvokeModelResponse.builder().contentType("image/png").body(SdkBytes.fromByteArray(new byte[] {1, 2})).build(),
        SdkHttpResponse.builder().statusCode(200).build());

    assertThat(callsOn(Thread.currentThread().getName())).singleElement().asString().startsWith("endReading[");
    readOnRecorderThread(handle());
    assertThat(callsOn("recorder")).containsExactly("usageUnavailable[no_usage_in_response] on recorder");
  }
}
