package dev.aicost.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.bootstrap.AiCallHandle;
import dev.aicost.bootstrap.AiCallStart;
import dev.aicost.pricing.CostCalculator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AiCallRecorderTest {

  private final InMemoryTelemetry telemetry = new InMemoryTelemetry();
  private final InMemorySpanExporter spans = telemetry.spans;
  private final InMemoryMetricReader metrics = telemetry.metrics;
  private final List<CostRecord> records = new CopyOnWriteArrayList<>();
  private final OpenTelemetrySdk otel = telemetry.otel;
  private AiCallRecorder recorder;

  @BeforeEach
  void setUp() {
    recorder =
        AiCallRecorder.builder(otel, CostCalculator.bundled())
            .addSink(records::add)
            .customerMetricValues(2)
            .build();
  }

  @AfterEach
  void tearDown() {
    otel.close();
  }

  @Test
  void everyFinishReasonIsKeptInOrderAndTheRecordDoesNotChangeAfterTheEnd() {
    AiCallHandle one = recorder.start(chat("gpt-4o")).finishReason("stop").usage(10, 5);
    one.end();
    AiCallHandle three =
        recorder.start(chat("gpt-4o")).finishReason("stop").finishReason(null).finishReason("length").usage(10, 5);
    three.finishReason("tool_calls");
    three.end();
    three.finishReason("content_filter"); // after the end: ignored by the recorded call
    AiCallHandle none = recorder.start(chat("gpt-4o")).usage(10, 5);
    none.end();

    assertThat(records).hasSize(3);
    assertThat(records.get(0).finishReasons()).containsExactly("stop");
    assertThat(records.get(1).finishReasons()).containsExactly("stop", "length", "tool_calls");
    assertThat(records.get(2).finishReasons()).isEmpty();
    List<List<String>> onSpans = new ArrayList<>();
    for (SpanData span : spans.getFinishedSpanItems()) {
      onSpans.add(span.getAttributes().get(AiCostAttributes.GEN_AI_RESPONSE_FINISH_REASONS));
    }
    assertThat(onSpans).containsExactly(List.of("stop"), List.of("stop", "length", "tool_calls"), null);
  }

  private static AiCallStart chat(String model) {
    return AiCallStart.of("openai", "chat").requestModel(model).server("api.openai.com", 443);
  }

  @Test
  void pricedChatCallBecomesSpanMetricsAndRecord() {
    try (AiCostScope scope = AiCost.attribute().team("search").feature("autocomplete").attribute("tenant", "acme").open()) {
      recorder
          .start(chat("gpt-4o"))
          .responseModel("gpt-4o-2024-08-06")
          .responseId("chatcmpl-1")
          .finishReason("stop")
          .responseServiceTier("default")
          .usage(1200, 80)
          .cacheReadTokens(1024)
          .end();
    }

    SpanData span = single(spans.getFinishedSpanItems());
    assertThat(span.getName()).isEqualTo("chat gpt-4o");
    assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
    Attributes a = span.getAttributes();
    assertThat(a.get(AiCostAttributes.GEN_AI_OPERATION_NAME)).isEqualTo("chat");
    assertThat(a.get(AiCostAttributes.GEN_AI_PROVIDER_NAME)).isEqualTo("openai");
    assertThat(a.get(AiCostAttributes.GEN_AI_REQUEST_MODEL)).isEqualTo("gpt-4o");
    assertThat(a.get(AiCostAttributes.GEN_AI_RESPONSE_MODEL)).isEqualTo("gpt-4o-2024-08-06");
    assertThat(a.get(AiCostAttributes.GEN_AI_RESPONSE_ID)).isEqualTo("chatcmpl-1");
    assertThat(a.get(AiCostAttributes.GEN_AI_RESPONSE_FINISH_REASONS)).containsExactly("stop");
    assertThat(a.get(AiCostAttributes.GEN_AI_REQUEST_STREAM)).isFalse();
    assertThat(a.get(AiCostAttributes.SERVER_ADDRESS)).isEqualTo("api.openai.com");
    assertThat(a.get(AiCostAttributes.SERVER_PORT)).isEqualTo(443L);
    assertThat(a.get(AiCostAttributes.GEN_AI_USAGE_INPUT_TOKENS)).isEqualTo(1200L);
    assertThat(a.get(AiCostAttributes.GEN_AI_USAGE_OUTPUT_TOKENS)).isEqualTo(80L);
    assertThat(a.get(AiCostAttributes.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS)).isEqualTo(1024L);
    assertThat(a.get(AiCostAttributes.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS)).isEqualTo(0L);
    // gpt-4o: $2.50 / 1M input, $1.25 / 1M cached input, $10.00 / 1M output.
    // input (1200 - 1024) x 2.50e-6 = 0.00044; cache 1024 x 1.25e-6 = 0.00128; output 80 x 10e-6 = 0.0008
    assertThat(a.get(AiCostAttributes.GEN_AI_USAGE_COST_AMOUNT)).isEqualTo(0.00252);
    assertThat(a.get(AiCostAttributes.GEN_AI_USAGE_COST_CURRENCY)).isEqualTo("USD");
    assertThat(a.get(AiCostAttributes.GEN_AI_USAGE_COST_SOURCE)).isEqualTo("local");
    assertThat(a.get(AttributeKey.doubleKey("aicost.cost.input"))).isEqualTo(0.00044);
    assertThat(a.get(AttributeKey.doubleKey("aicost.cost.cache_read"))).isEqualTo(0.00128);
    assertThat(a.get(AttributeKey.doubleKey("aicost.cost.output"))).isEqualTo(0.0008);
    assertThat(a.get(AiCostAttributes.PRICED)).isTrue();
    assertThat(a.get(AiCostAttributes.PRICING_ENTRY)).isEqualTo("openai/gpt-4o-2024-08-06");
    assertThat(a.get(AiCostAttributes.PRICING_TIER)).isEqualTo("standard");
    assertThat(a.get(AiCostAttributes.TEAM)).isEqualTo("search");
    assertThat(a.get(AiCostAttributes.FEATURE)).isEqualTo("autocomplete");
    assertThat(a.get(AttributeKey.stringKey("aicost.attr.tenant"))).isEqualTo("acme");
    assertThat(a.get(AiCostAttributes.ERROR_TYPE)).isNull();
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

    CostRecord r = single(records);
    assertThat(r.cost().total()).isEqualByComparingTo(new BigDecimal("0.00252"));
    assertThat(r.traceId()).isEqualTo(span.getTraceId());
    assertThat(r.spanId()).isEqualTo(span.getSpanId());
    assertThat(r.attribution().team()).isEqualTo("search");
    assertThat(r.usage().cacheRead()).isEqualTo(1024);

    Collection<MetricData> m = metrics.collectAllMetrics();
    HistogramPointData tokensIn =
        histogramPoint(m, "gen_ai.client.token.usage", AiCostAttributes.GEN_AI_TOKEN_TYPE, "input");
    assertThat(tokensIn.getSum()).isEqualTo(1200.0);
    assertThat(tokensIn.getBoundaries()).containsExactly(
        1.0, 4.0, 16.0, 64.0, 256.0, 1024.0, 4096.0, 16384.0, 65536.0, 262144.0, 1048576.0, 4194304.0,
        16777216.0, 67108864.0);
    assertThat(histogramPoint(m, "gen_ai.client.token.usage", AiCostAttributes.GEN_AI_TOKEN_TYPE, "output").getSum())
        .isEqualTo(80.0);
    assertThat(histogramPoint(m, "gen_ai.client.operation.duration", null, null).getCount()).isEqualTo(1);
    assertThat(histogramPoint(m, "gen_ai.client.operation.cost", null, null).getSum()).isEqualTo(0.00252);
    DoublePointData spend = doublePoint(m, "aicost.spend");
    assertThat(spend.getValue()).isEqualTo(0.00252);
    assertThat(spend.getAttributes().get(AiCostAttributes.TEAM)).isEqualTo("search");
    assertThat(spend.getAttributes().get(AiCostAttributes.GEN_AI_REQUEST_MODEL)).isEqualTo("gpt-4o");
  }

  @Test
  void unknownModelIsUnpricedNeverZero() {
    recorder.start(chat("my-private-model")).usage(100, 10).end();
    SpanData span = single(spans.getFinishedSpanItems());
    assertThat(span.getAttributes().get(AiCostAttributes.PRICED)).isFalse();
    assertThat(span.getAttributes().get(AiCostAttributes.UNPRICED_REASON)).isEqualTo("unknown_model");
    assertThat(span.getAttributes().get(AiCostAttributes.GEN_AI_USAGE_COST_AMOUNT)).isNull();
    assertThat(single(records).cost().isPriced()).isFalse();
    Collection<MetricData> m = metrics.collectAllMetrics();
    LongPointData unpriced = longPoint(m, "aicost.unpriced.calls");
    assertThat(unpriced.getValue()).isEqualTo(1);
    assertThat(unpriced.getAttributes().get(AiCostAttributes.UNPRICED_REASON)).isEqualTo("unknown_model");
    assertThat(m).noneMatch(d -> d.getName().equals("aicost.spend") && !d.getDoubleSumData().getPoints().isEmpty());
  }

  @Test
  void missingUsageIsSaidAndNotInvented() {
    recorder.start(chat("gpt-4o").stream(true)).usageUnavailable("stream_options.include_usage_not_set").end();
    Attributes a = single(spans.getFinishedSpanItems()).getAttributes();
    assertThat(a.get(AiCostAttributes.USAGE_AVAILABLE)).isFalse();
    assertThat(a.get(AiCostAttributes.USAGE_UNAVAILABLE_REASON)).isEqualTo("stream_options.include_usage_not_set");
    assertThat(a.get(AiCostAttributes.GEN_AI_USAGE_INPUT_TOKENS)).isNull();
    assertThat(a.get(AiCostAttributes.PRICED)).isFalse();
    assertThat(a.get(AiCostAttributes.UNPRICED_REASON)).isEqualTo("usage_unavailable");
    assertThat(single(records).usage()).isNull();
  }

  @Test
  void failureSetsErrorTypeAndEndsOnce() {
    AiCallHandle h = recorder.start(chat("gpt-4o"));
    h.fail(new IllegalStateException("boom"), "429");
    h.end();
    h.cancel("late");
    SpanData span = single(spans.getFinishedSpanItems());
    assertThat(span.getAttributes().get(AiCostAttributes.ERROR_TYPE)).isEqualTo("429");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(AiCostAttributes.PRICED)).isFalse();
    assertThat(single(records).errorType()).isEqualTo("429");
    assertThat(metrics.collectAllMetrics())
        .noneMatch(d -> d.getName().equals("aicost.unpriced.calls"));
    HistogramPointData duration =
        histogramPoint(metrics.collectAllMetrics(), "gen_ai.client.operation.duration", AiCostAttributes.ERROR_TYPE, "429");
    assertThat(duration.getCount()).isEqualTo(1);
  }

  @Test
  void errorTypeDefaultsToExceptionClass() {
    recorder.start(chat("gpt-4o")).fail(new java.io.IOException("reset"), null);
    assertThat(single(spans.getFinishedSpanItems()).getAttributes().get(AiCostAttributes.ERROR_TYPE))
        .isEqualTo("java.io.IOException");
  }

  @Test
  void cancelledCallSaysHowItEnded() {
    recorder.start(chat("gpt-4o").stream(true)).cancel("stream_closed_early");
    Attributes a = single(spans.getFinishedSpanItems()).getAttributes();
    assertThat(a.get(AiCostAttributes.END_REASON)).isEqualTo("stream_closed_early");
    assertThat(a.get(AiCostAttributes.USAGE_UNAVAILABLE_REASON)).isEqualTo("stream_closed_early");
  }

  @Test
  void inconsistentProviderCountsAreReportedNotThrown() {
    // reasoning larger than output: a provider bug must not reach the application
    recorder.start(chat("gpt-4o")).usage(10, 5).reasoningTokens(50).end();
    Attributes a = single(spans.getFinishedSpanItems()).getAttributes();
    assertThat(a.get(AiCostAttributes.USAGE_UNAVAILABLE_REASON)).isEqualTo("invalid_usage");
  }

  @Test
  void spendIsAnExactRunningTotalPerAttribution() {
    for (int i = 0; i < 3; i++) {
      try (AiCostScope s = AiCost.attribute().team("search").open()) {
        recorder.start(chat("gpt-4o")).usage(1000, 100).end(); // 0.0025 + 0.001 = 0.0035
      }
    }
    try (AiCostScope s = AiCost.attribute().team("ads").open()) {
      recorder.start(chat("gpt-4o")).usage(1, 0).end(); // 0.0000025
    }
    List<DoublePointData> points = new ArrayList<>();
    for (MetricData d : metrics.collectAllMetrics()) {
      if (d.getName().equals("aicost.spend")) {
        points.addAll(d.getDoubleSumData().getPoints());
      }
    }
    assertThat(points).hasSize(2);
    assertThat(points)
        .anySatisfy(p -> {
          assertThat(p.getAttributes().get(AiCostAttributes.TEAM)).isEqualTo("search");
          assertThat(p.getValue()).isEqualTo(0.0105);
        })
        .anySatisfy(p -> {
          assertThat(p.getAttributes().get(AiCostAttributes.TEAM)).isEqualTo("ads");
          assertThat(p.getValue()).isEqualTo(0.0000025);
        });
  }

  @Test
  void customersBeyondTheCapAreCountedAsOther() {
    for (String customer : new String[] {"a", "b", "c", "a"}) {
      try (AiCostScope s = AiCost.attribute().customer(customer).open()) {
        recorder.start(chat("gpt-4o")).usage(1000, 0).end();
      }
    }
    List<String> customers = new ArrayList<>();
    for (MetricData d : metrics.collectAllMetrics()) {
      if (d.getName().equals("aicost.spend")) {
        d.getDoubleSumData().getPoints().forEach(p -> customers.add(p.getAttributes().get(AiCostAttributes.CUSTOMER)));
      }
    }
    assertThat(customers).containsExactlyInAnyOrder("a", "b", "other");
    assertThat(records).extracting(r -> r.attribution().customer()).containsExactly("a", "b", "c", "a");
  }

  @Test
  void failingSinkDoesNotAffectTheCallerOrOtherSinks() {
    List<CostRecord> second = new ArrayList<>();
    AiCallRecorder r =
        AiCallRecorder.builder(otel, CostCalculator.bundled())
            .addSink(rec -> {
              throw new IllegalStateException("sink down");
            })
            .addSink(second::add)
            .build();
    r.start(chat("gpt-4o")).usage(10, 1).end();
    assertThat(second).hasSize(1);
  }

  @Test
  void installedRecorderReceivesManualCallsThroughTheBridge() {
    AiCost.install(recorder);
    try {
      assertThat(AiCost.isRecording()).isTrue();
      AiCost.startCall(AiCallStart.of("openai", "embeddings").requestModel("text-embedding-3-small"))
          .usage(500, 0)
          .end();
      assertThat(single(records).operation()).isEqualTo("embeddings");
    } finally {
      dev.aicost.bootstrap.AiCallBridge.uninstall(recorder);
    }
  }

  private static <T> T single(Collection<T> items) {
    assertThat(items).hasSize(1);
    return items.iterator().next();
  }

  private static <T> HistogramPointData histogramPoint(
      Collection<MetricData> m, String name, AttributeKey<T> key, T value) {
    for (MetricData d : m) {
      if (d.getName().equals(name)) {
        for (HistogramPointData p : d.getHistogramData().getPoints()) {
          if (key == null || value.equals(p.getAttributes().get(key))) {
            return p;
          }
        }
      }
    }
    throw new AssertionError("no point of " + name + " with " + key + "=" + value + " in " + m);
  }

  private static DoublePointData doublePoint(Collection<MetricData> m, String name) {
    for (MetricData d : m) {
      if (d.getName().equals(name)) {
        return single(d.getDoubleSumData().getPoints());
      }
    }
    throw new AssertionError("no metric " + name);
  }

  private static LongPointData longPoint(Collection<MetricData> m, String name) {
    for (MetricData d : m) {
      if (d.getName().equals(name)) {
        return single(d.getLongSumData().getPoints());
      }
    }
    throw new AssertionError("no metric " + name);
  }
}
