package dev.aicost.exporters.spans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aicost.bootstrap.AiCallStart;
import dev.aicost.pricing.CostCalculator;
import dev.aicost.sdk.AiCallRecorder;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Recording a call with the OpenTelemetry SDK, its span sent straight to the span processors, allocates under the
 * 2 KB per call of docs/performance.md#recording-one-call, and ~1 KB less than with the SDK's own span. In bytes,
 * from the JVM's per-thread allocation counter (exact whatever the load; not a timing). The whole recording runs on
 * the calling thread here; the processor counts spans without exporting them.
 */
class DirectCallSpanAllocationTest {

  private static final int CALLS = 20_000;

  @Test
  void aCallSpanSentStraightToTheProcessorsCostsAKilobyteLess() {
    long direct = bytesPerCall(true);
    long viaSdk = bytesPerCall(false);
    System.out.printf("recording one call: %d B with direct call spans, %d B with the SDK's spans%n", direct, viaSdk);
    assertThat(direct).as("bytes per call, direct call spans").isLessThanOrEqualTo(2048);
    assertThat(viaSdk - direct).as("bytes per call saved").isGreaterThanOrEqualTo(700);
  }

  private static long bytesPerCall(boolean directSpans) {
    java.lang.management.ThreadMXBean std = ManagementFactory.getThreadMXBean();
    assumeTrue(std instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) std;
    assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

    AtomicLong ended = new AtomicLong();
    SpanProcessor counting =
        new SpanProcessor() {
          @Override
          public void onStart(Context parentContext, ReadWriteSpan span) {}

          @Override
          public boolean isStartRequired() {
            return false;
          }

          @Override
          public void onEnd(ReadableSpan span) {
            ended.incrementAndGet();
          }

          @Override
          public boolean isEndRequired() {
            return true;
          }
        };
    SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(counting).build();
    SdkMeterProvider metering = SdkMeterProvider.builder().registerMetricReader(InMemoryMetricReader.create()).build();
    try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(tracing).setMeterProvider(metering).build()) {
      AiCallRecorder.Builder builder = AiCallRecorder.builder(sdk, CostCalculator.bundled()).addSink(record -> {});
      if (directSpans) {
        builder.callSpanTracerProvider(CompletedSpanTracerProvider.of(tracing, List.of(counting), Resource.getDefault()));
      }
      AiCallRecorder recorder = builder.build();
      for (int i = 0; i < CALLS; i++) { // classes loaded, caches and metric series filled, code compiled
        call(recorder);
      }
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < CALLS; i++) {
        call(recorder);
      }
      long perCall = (threads.getCurrentThreadAllocatedBytes() - before) / CALLS;
      assertThat(ended.get()).isEqualTo(2L * CALLS);
      recorder.close();
      return perCall;
    }
  }

  /** One chat completion as the openai-java instrumentation reports it. */
  private static void call(AiCallRecorder recorder) {
    AiCallStart start =
        AiCallStart.of("openai", "chat").requestModel("gpt-4o").stream(false).server("api.openai.com", 443);
    recorder
        .start(start)
        .responseModel("gpt-4o-2024-08-06")
        .responseId("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT")
        .finishReason("stop")
        .usage(1_200, 350)
        .cacheReadTokens(200)
        .end();
  }
}
