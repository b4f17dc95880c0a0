package dev.aicost.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.bootstrap.AiCallBridge;
import dev.aicost.bootstrap.AiCallStart;
import dev.aicost.bootstrap.AppContext;
import dev.aicost.bootstrap.AppContextReader;
import dev.aicost.bootstrap.AppTelemetry;
import dev.aicost.bootstrap.Attribution;
import dev.aicost.bootstrap.AttributionContext;
import dev.aicost.bootstrap.AttributionPropagation;
import dev.aicost.bootstrap.AttributionScope;
import dev.aicost.pricing.CostCalculator;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Defaults, inbound baggage trust, trace parents and task roll-ups in the recorder. */
class TaskAndAttributionRecorderTest {

  private final InMemoryTelemetry telemetry = new InMemoryTelemetry();
  private final InMemorySpanExporter spans = telemetry.spans;
  private final InMemoryMetricReader metrics = telemetry.metrics;
  private final CollectingSink sink = new CollectingSink();
  private final List<CostRecord> records = sink.records;
  private final List<TaskRecord> tasks = sink.tasks;
  private final AppContext app = new AppContext();
  private final AppContextReader reader = into -> {
    if (app.hasSpan()) {
      into.span(app.traceId(), app.spanId(), app.traceFlags(), false);
    }
    app.baggage().forEach(into::baggageEntry);
  };
  private final OpenTelemetrySdk otel = telemetry.otel;
  private AiCallRecorder recorder;

  @BeforeEach
  void setUp() {
    recorder =
        AiCallRecorder.builder(otel, CostCalculator.bundled())
            .addSink(sink)
            .defaults(Attribution.builder().feature("default-feature").experiment("control").build())
            .serviceName("checkout-service")
            .build();
    AiCallBridge.install(recorder);
    AppTelemetry.register(reader);
  }

  @AfterEach
  void tearDown() {
    AppTelemetry.unregister(reader);
    AiCallBridge.uninstall(recorder);
    AttributionPropagation.configure(null, null, null, null);
    otel.close();
  }

  private void call(String model, long in, long out) {
    AiCost.startCall(AiCallStart.of("openai", "chat").requestModel(model)).usage(in, out).end();
  }

  @Test
  void unattributedSpendSaysSoAndNamesTheServiceAsOwner() {
    call("gpt-4o", 100, 10);
    CostRecord r = single(records);
    assertThat(r.attribution().team()).isEqualTo("unattributed");
    assertThat(r.owner()).isEqualTo("checkout-service");
    assertThat(r.attribution().feature()).isEqualTo("default-feature");
    Attributes a = single(spans.getFinishedSpanItems()).getAttributes();
    assertThat(a.get(AiCostAttributes.TEAM)).isEqualTo("unattributed");
    assertThat(a.get(AiCostAttributes.OWNER)).isEqualTo("checkout-service");
    assertThat(spendAttributes().get(AiCostAttributes.OWNER)).isEqualTo("checkout-service");
  }

  @Test
  void scopesOverrideDefaultsFieldByField() {
    try (AiCostScope s = AiCost.attribute().team("search").feature("autocomplete").open()) {
      call("gpt-4o", 100, 10);
    }
    CostRecord r = single(records);
    assertThat(r.attribution().team()).isEqualTo("search");
    assertThat(r.attribution().feature()).isEqualTo("autocomplete");
    assertThat(r.attribution().experiment()).isEqualTo("control");
    assertThat(r.owner()).isNull();
    assertThat(single(spans.getFinishedSpanItems()).getAttributes().get(AiCostAttributes.OWNER)).isNull();
  }

  @Test
  void untrustedInboundTeamIsIgnoredAndCountedTrustedCustomerIsUsed() {
    AttributionPropagation.configure(null, Collections.singletonList("customer"), null, null);
    app.baggageEntry("aicost.team", "someone-else");
    app.baggageEntry("aicost.customer", "acme");
    app.baggageEntry("aicost.attr.x-y", "1");
    call("gpt-4o", 100, 10);
    CostRecord r = single(records);
    assertThat(r.attribution().team()).isEqualTo("unattributed");
    assertThat(r.attribution().customer()).isEqualTo("acme");
    assertThat(r.attribution().custom()).isEmpty();
    Collection<MetricData> m = metrics.collectAllMetrics();
    List<String> keys =
        m.stream()
            .filter(d -> d.getName().equals("aicost.attribution.untrusted_inbound"))
            .flatMap(d -> d.getLongSumData().getPoints().stream())
            .map(p -> p.getAttributes().get(AiCostAttributes.BAGGAGE_KEY) + "=" + p.getValue())
            .collect(Collectors.toList());
    assertThat(keys).containsExactlyInAnyOrder("aicost.team=1", "aicost.attr.*=1");
  }

  @Test
  void explicitScopeWinsOverTrustedInbound() {
    AttributionPropagation.configure(null, Arrays.asList("team", "customer"), null, null);
    app.baggageEntry("aicost.team", "caller-team");
    app.baggageEntry("aicost.customer", "acme");
    try (AiCostScope s = AiCost.attribute().team("own-team").open()) {
      call("gpt-4o", 100, 10);
    }
    call("gpt-4o", 100, 10);
    assertThat(records.get(0).attribution().team()).isEqualTo("own-team");
    assertThat(records.get(0).attribution().customer()).isEqualTo("acme");
    assertThat(records.get(1).attribution().team()).isEqualTo("caller-team");
  }

  @Test
  void theApplicationsCurrentSpanIsTheParent() {
    app.span("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", (byte) 1, false);
    call("gpt-4o", 100, 10);
    SpanData span = single(spans.getFinishedSpanItems());
    assertThat(span.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(span.getParentSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(single(records).traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
  }

  @Test
  void taskRollUpEqualsTheExactSumOfItsCallsAcrossThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    String taskId;
    try (AiCostScope task = AiCost.attribute().team("support").task("answer-ticket").open()) {
      taskId = task.taskId();
      call("gpt-4o", 1200, 80);
      Attribution captured = AttributionContext.current();
      Future<?> f =
          pool.submit(
              () -> {
                try (AttributionScope r = AttributionContext.restore(captured)) {
                  call("gpt-4o-mini", 333, 77);
                  call("my-private-model", 10, 1); // unpriced: the total is a lower bound
                }
              });
      f.get();
      try (AiCostScope nested = AiCost.task("inner")) {
        assertThat(nested.taskId()).as("nested task names do not start a task").isNull();
        call("gpt-4o", 10, 10);
      }
    }
    pool.shutdown();
    TaskRecord t = single(tasks);
    assertThat(t.taskId()).isEqualTo(taskId);
    assertThat(t.name()).isEqualTo("answer-ticket");
    assertThat(t.calls()).isEqualTo(4);
    assertThat(t.pricedCalls()).isEqualTo(3);
    assertThat(t.unpricedCalls()).isEqualTo(1);
    assertThat(t.isCostComplete()).isFalse();
    assertThat(records).allSatisfy(r -> {
      assertThat(r.taskId()).isEqualTo(taskId);
      assertThat(r.attribution().task()).isEqualTo("answer-ticket");
    });
    BigDecimal sum =
        records.stream().filter(r -> r.cost().isPriced()).map(r -> r.cost().total()).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(t.costByCurrency()).containsOnlyKeys("USD");
    assertThat(t.costByCurrency().get("USD")).isEqualByComparingTo(sum);
    assertThat(t.inputTokens()).isEqualTo(1200 + 333 + 10 + 10);
    assertThat(t.outputTokens()).isEqualTo(80 + 77 + 1 + 10);
    assertThat(t.attribution().team()).isEqualTo("support");
    assertThat(t.attribution().feature()).isEqualTo("default-feature");

    SpanData taskSpan =
        spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.INTERNAL).findFirst().orElseThrow();
    assertThat(taskSpan.getName()).isEqualTo("task answer-ticket");
    assertThat(taskSpan.getAttributes().get(AiCostAttributes.TASK_CALLS)).isEqualTo(4L);
    assertThat(taskSpan.getAttributes().get(AiCostAttributes.TASK_COST_COMPLETE)).isFalse();
    assertThat(taskSpan.getAttributes().get(AiCostAttributes.TASK_COST_AMOUNT)).isEqualTo(sum.doubleValue());
    assertThat(t.spanId()).isEqualTo(taskSpan.getSpanId());
    assertThat(spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.CLIENT))
        .hasSize(4)
        .allSatisfy(s -> {
          assertThat(s.getParentSpanId()).isEqualTo(taskSpan.getSpanId());
          assertThat(s.getAttributes().get(AiCostAttributes.TASK_ID)).isEqualTo(taskId);
        });
    // cost incomplete: no histogram point
    assertThat(metrics.collectAllMetrics()).noneMatch(d -> d.getName().equals("aicost.task.cost"));
  }

  @Test
  void taskCostHistogramAndZeroCostTasks() {
    try (AiCostScope task = AiCost.task("answer-ticket")) {
      call("gpt-4o", 1000, 100);
    }
    try (AiCostScope task = AiCost.task("answer-ticket")) {
      // answered from cache: no AI call at all
    }
    assertThat(tasks).hasSize(2);
    assertThat(tasks.get(1).costByCurrency()).isEmpty();
    HistogramPointData p =
        metrics.collectAllMetrics().stream()
            .filter(d -> d.getName().equals("aicost.task.cost"))
            .flatMap(d -> d.getHistogramData().getPoints().stream())
            .findFirst()
            .orElseThrow();
    assertThat(p.getCount()).isEqualTo(2);
    // gpt-4o: 1000 x 2.50e-6 + 100 x 10e-6 = 0.0035
    assertThat(p.getSum()).isEqualTo(0.0035);
    assertThat(p.getAttributes().get(AiCostAttributes.TASK)).isEqualTo("answer-ticket");
    assertThat(p.getAttributes().get(AiCostAttributes.CURRENCY)).isEqualTo("USD");
  }

  @Test
  void aTaskUnderTheApplicationsSpanParentsItsCalls() {
    app.span("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", (byte) 1, false);
    try (AiCostScope task = AiCost.task("t")) {
      call("gpt-4o", 10, 1);
    }
    SpanData taskSpan =
        spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.INTERNAL).findFirst().orElseThrow();
    SpanData callSpan =
        spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
    assertThat(taskSpan.getParentSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(callSpan.getParentSpanId()).isEqualTo(taskSpan.getSpanId());
    assertThat(callSpan.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
  }

  private Attributes spendAttributes() {
    for (MetricData d : metrics.collectAllMetrics()) {
      if (d.getName().equals("aicost.spend")) {
        return single(d.getDoubleSumData().getPoints()).getAttributes();
      }
    }
    throw new AssertionError("no aicost.spend");
  }

  private static <T> T single(Collection<T> items) {
    assertThat(items).hasSize(1);
    return items.iterator().next();
  }

}
