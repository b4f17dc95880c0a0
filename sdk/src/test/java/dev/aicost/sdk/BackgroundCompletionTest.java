package dev.aicost.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.bootstrap.AiCallBridge;
import dev.aicost.bootstrap.AiCallStart;
import dev.aicost.pricing.CostCalculator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With background completion the calling thread only queues the call; what is recorded is the same. */
class BackgroundCompletionTest {

  private final InMemoryTelemetry telemetry = new InMemoryTelemetry();
  private final InMemorySpanExporter spans = telemetry.spans;
  private final InMemoryMetricReader metrics = telemetry.metrics;
  private final CollectingSink sink = new CollectingSink();
  private final List<CostRecord> records = sink.records;
  private final List<TaskRecord> tasks = sink.tasks;
  /** The thread each record was handed to the sink on. */
  private final Map<String, String> threads = sink.threads;
  private final OpenTelemetrySdk otel = telemetry.otel;
  private AiCallRecorder recorder;

  @BeforeEach
  void setUp() {
    recorder =
        AiCallRecorder.builder(otel, CostCalculator.bundled())
            .addSink(sink)
            .completeInBackground(true)
            .build();
    AiCallBridge.install(recorder);
  }

  @AfterEach
  void tearDown() {
    AiCallBridge.uninstall(recorder);
    recorder.close();
    otel.close();
  }

  @Test
  void theCallIsCompletedOnTheRecorderThreadWithItsOwnDuration() throws Exception {
    long before = System.currentTimeMillis();
    recorder.start(chat()).responseModel("gpt-4o-2024-08-06").responseId("r1").usage(1000, 100).end();

    recorder.flush();
    assertThat(records).hasSize(1);
    assertThat(threads).containsEntry("r1", "aicost-recorder");
    SpanData span = spans.getFinishedSpanItems().get(0);
    assertThat(span.getAttributes().get(AiCostAttributes.GEN_AI_USAGE_COST_AMOUNT)).isEqualTo(0.0035);
    // The span ends when the call ended, not when the recorder thread got to it.
    assertThat(span.getEndEpochNanos() - span.getStartEpochNanos()).isEqualTo(records.get(0).durationNanos());
    java.time.Instant started = records.get(0).timestamp();
    assertThat(span.getStartEpochNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(started.getEpochSecond()) + started.getNano());
    assertThat(TimeUnit.NANOSECONDS.toMillis(span.getStartEpochNanos())).isBetween(before, System.currentTimeMillis());
    assertThat(metrics.collectAllMetrics()).anyMatch(d -> d.getName().equals("gen_ai.client.operation.cost"));
  }

  @Test
  void unflushedCallsAreCompletedWithinTheLinger() throws Exception {
    recorder.start(chat()).responseId("r2").usage(10, 1).end();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (records.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(records).hasSize(1);
    assertThat(threads).containsEntry("r2", "aicost-recorder");
  }

  @Test
  void callsInATaskCompleteOnTheirOwnThreadSoTheTaskCountsThem() {
    try (AiCostScope task = AiCost.task("answer-ticket")) {
      AiCost.startCall(chat()).responseId("in-task").usage(1000, 100).end();
      assertThat(records).hasSize(1); // before any flush
    }
    assertThat(threads).containsEntry("in-task", Thread.currentThread().getName());
    assertThat(tasks).hasSize(1);
    assertThat(tasks.get(0).calls()).isEqualTo(1);
    assertThat(tasks.get(0).pricedCalls()).isEqualTo(1);
  }

  @Test
  void afterCloseCallsCompleteOnTheirOwnThread() {
    recorder.close();
    recorder.start(chat()).responseId("late").usage(10, 1).end();
    assertThat(records).hasSize(1);
    assertThat(threads).containsEntry("late", Thread.currentThread().getName());
  }

  private static AiCallStart chat() {
    return AiCallStart.of("openai", "chat").requestModel("gpt-4o").server("api.openai.com", 443);
  }
}
