package dev.aicost.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.bootstrap.AiCallBridge;
import dev.aicost.bootstrap.AiCallHandle;
import dev.aicost.bootstrap.AiCallStart;
import dev.aicost.bootstrap.ResponseReader;
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

  @Test
  void aRecordOnTheRecorderThreadCarriesNothingOverFromTheCallBefore() {
    // The recorder thread reuses one record builder; every field of the second call must be its own.
    AiCallStart first =
        AiCallStart.of("openai", "chat").requestModel("gpt-4o").server("api.openai.com", 443).stream(true);
    recorder
        .start(first)
        .responseModel("gpt-4o-2024-08-06")
        .responseId("first")
        .finishReason("length")
        .finishReason("stop")
        .responseServiceTier("flex")
        .usageUnavailable("stream_cut")
        .fail(new IllegalStateException("boom"), "timeout");
    recorder.start(AiCallStart.of("anthropic", "chat").requestModel("claude-sonnet-4-5")).end();

    recorder.flush();
    assertThat(records).hasSize(2);
    assertThat(threads).containsEntry("first", "aicost-recorder");
    CostRecord a = records.get(0);
    assertThat(a.errorType()).isEqualTo("timeout");
    assertThat(a.finishReasons()).containsExactly("length", "stop");
    assertThat(a.usageUnavailableReason()).isEqualTo("stream_cut");
    assertThat(a.stream()).isTrue();
    CostRecord b = records.get(1);
    assertThat(b.provider()).isEqualTo("anthropic");
    assertThat(b.requestModel()).isEqualTo("claude-sonnet-4-5");
    assertThat(b.responseModel()).isNull();
    assertThat(b.responseId()).isNull();
    assertThat(b.finishReasons()).isEmpty();
    assertThat(b.errorType()).isNull();
    assertThat(b.endReason()).isNull();
    assertThat(b.serverAddress()).isNull();
    assertThat(b.stream()).isFalse();
    assertThat(b.usage()).isNull();
    assertThat(b.usageUnavailableReason()).isEqualTo("not_reported");
    assertThat(b.traceId()).isNotEqualTo(a.traceId());
    assertThat(b.timestamp()).isAfterOrEqualTo(a.timestamp());
  }

  @Test
  void whatIsReportedAfterTheEndIsIgnored() {
    // Read on the recorder thread after the end: a report that arrives in between must not change the record.
    AiCallHandle call =
        recorder.start(chat()).responseModel("gpt-4o-2024-08-06").responseId("ended").finishReason("stop");
    call.usage(1000, 100);
    call.end();
    call.responseModel("late-model").finishReason("late").usage(9, 9).cacheReadTokens(5).usageUnavailable("late");

    recorder.flush();
    assertThat(records).hasSize(1);
    CostRecord r = records.get(0);
    assertThat(r.responseModel()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(r.finishReasons()).containsExactly("stop");
    assertThat(r.usage().input()).isEqualTo(1000);
    assertThat(r.usage().cacheRead()).isZero();
    assertThat(r.usageUnavailableReason()).isNull();
    assertThat(r.cost().totalPicos()).isEqualTo(3_500_000_000L);
  }

  /** A provider's response object as instrumentation sees it: read only by the reader. */
  private static final class FakeResponse {
    final String id;
    final long input;
    final long output;
    final List<String> readOn = new java.util.concurrent.CopyOnWriteArrayList<>();

    FakeResponse(String id, long input, long output) {
      this.id = id;
      this.input = input;
      this.output = output;
    }
  }

  private static final ResponseReader<FakeResponse> READER =
      (h, r) -> {
        r.readOn.add(Thread.currentThread().getName());
        h.responseId(r.id).responseModel("gpt-4o-2024-08-06").finishReason("stop").usage(r.input, r.output);
        if (r.input < 0) {
          throw new IllegalStateException("a field the provider left out");
        }
      };

  @Test
  void aResponseEndedWithItsReaderIsReadOnTheRecorderThreadNotTheCallers() {
    FakeResponse response = new FakeResponse("read-later", 1000, 100);
    recorder.start(chat()).endReading(response, READER);

    recorder.flush();
    assertThat(response.readOn).containsExactly("aicost-recorder");
    assertThat(records).hasSize(1);
    CostRecord r = records.get(0);
    assertThat(r.responseId()).isEqualTo("read-later");
    assertThat(r.finishReasons()).containsExactly("stop");
    assertThat(r.usage().input()).isEqualTo(1000);
    assertThat(r.cost().totalPicos()).isEqualTo(3_500_000_000L);
    assertThat(threads).containsEntry("read-later", "aicost-recorder");
  }

  @Test
  void aReaderThatFailsHalfWayKeepsWhatItReadAndMarksTheUsageInvalid() {
    recorder.start(chat()).endReading(new FakeResponse("half-read", -1, 0), READER);

    recorder.flush();
    CostRecord r = records.get(0);
    assertThat(r.responseId()).isEqualTo("half-read");
    assertThat(r.finishReasons()).containsExactly("stop");
    assertThat(r.usageUnavailableReason()).isEqualTo(AiCallHandle.INVALID_USAGE);
  }

  @Test
  void aReaderThatHitsALinkageErrorIsRecordedLikeOneThatFailsHalfWay() {
    // a getter the library version no longer has: an Error, not an exception, on the recorder's own thread
    ResponseReader<FakeResponse> linkage =
        (h, r) -> {
          h.responseId(r.id).finishReason("stop");
          throw new NoSuchMethodError("com.example.Usage.promptTokens()");
        };
    recorder.start(chat()).endReading(new FakeResponse("linkage", 1000, 100), linkage);
    recorder.start(chat()).endReading(new FakeResponse("next", 1000, 100), READER);

    recorder.flush();
    assertThat(records).extracting(CostRecord::responseId).containsExactly("linkage", "next");
    assertThat(records.get(0).finishReasons()).containsExactly("stop");
    assertThat(records.get(0).usageUnavailableReason()).isEqualTo(AiCallHandle.INVALID_USAGE);
    assertThat(records.get(1).usage().input()).isEqualTo(1000);
  }

  @Test
  void aCallThatAlreadyEndedReadsNothing() {
    AiCallHandle call = recorder.start(chat()).responseId("ended-first");
    call.end();
    FakeResponse late = new FakeResponse("late", 1000, 100);
    call.endReading(late, READER);

    recorder.flush();
    assertThat(late.readOn).isEmpty();
    assertThat(records).hasSize(1);
    assertThat(records.get(0).responseId()).isEqualTo("ended-first");
  }

  @Test
  void inATaskTheResponseIsReadOnTheCallingThreadSoTheTaskCountsIt() {
    FakeResponse response = new FakeResponse("in-task-read", 1000, 100);
    try (AiCostScope task = AiCost.task("summarize")) {
      AiCost.startCall(chat()).endReading(response, READER);
      assertThat(records).hasSize(1); // before any flush
    }
    assertThat(response.readOn).containsExactly(Thread.currentThread().getName());
    assertThat(tasks.get(0).pricedCalls()).isEqualTo(1);
  }

  @Test
  void withoutARecorderTheDefaultReadsAtOnceThenEnds() {
    FakeResponse response = new FakeResponse("noop", -1, 0);
    AiCallHandle.NOOP.endReading(response, READER); // the reader throws: swallowed
    assertThat(response.readOn).containsExactly(Thread.currentThread().getName());
  }

  private static AiCallStart chat() {
    return AiCallStart.of("openai", "chat").requestModel("gpt-4o").server("api.openai.com", 443);
  }
}
