package dev.aicost.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aicost.bootstrap.AiCallStart;
import dev.aicost.pricing.CostCalculator;
import io.opentelemetry.api.OpenTelemetry;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * What recording a call allocates, in bytes (docs/performance.md#recording-one-call). Measured with the JVM's
 * per-thread allocation counter, which is exact whatever the machine's load; not a timing. The OpenTelemetry API is the
 * no-op one, so what is measured is aicost's own work: the span and metric points the SDK builds are its cost, measured
 * by the benchmarks.
 */
class RecordingAllocationTest {

  private static final int CALLS = 20_000;

  @Test
  void theApplicationsThreadOnlyQueuesTheCall() {
    AiCallRecorder recorder =
        AiCallRecorder.builder(OpenTelemetry.noop(), CostCalculator.bundled())
            .addSink(record -> {})
            .completeInBackground(true)
            .build();
    try {
      long perCall = bytesPerCall(recorder);
      System.out.printf("calling thread, background completion: %d bytes per call%n", perCall);
      // The handle, its start time, the usage builder and the instrumentation's AiCallStart, plus a queue node.
      // Was 560 B with a completion object and a copy of the reported state made on this thread.
      assertThat(perCall).as("bytes allocated per call on the calling thread").isLessThanOrEqualTo(384);
    } finally {
      recorder.close();
    }
  }

  @Test
  void theWholeRecordingOutsideOpenTelemetryAllocatesUnderOneKilobyte() {
    AiCallRecorder recorder =
        AiCallRecorder.builder(OpenTelemetry.noop(), CostCalculator.bundled())
            .addSink(record -> {})
            .completeInBackground(false)
            .build();
    try {
      long perCall = bytesPerCall(recorder);
      System.out.printf("whole recording on the calling thread, no-op OpenTelemetry: %d bytes per call%n", perCall);
      assertThat(perCall).as("bytes allocated per call").isLessThanOrEqualTo(1024);
    } finally {
      recorder.close();
    }
  }

  private static long bytesPerCall(AiCallRecorder recorder) {
    java.lang.management.ThreadMXBean std = ManagementFactory.getThreadMXBean();
    assumeTrue(std instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) std;
    assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    for (int i = 0; i < CALLS; i++) { // classes loaded, caches filled, code compiled
      call(recorder);
    }
    recorder.flush();
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < CALLS; i++) {
      call(recorder);
      if ((i & 1023) == 1023) {
        recorder.flush(); // keep the recorder's queue from filling (a full queue completes on this thread)
      }
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(recorder.completedOnCallingThreadWhenQueueFull()).isZero();
    return allocated / CALLS;
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
