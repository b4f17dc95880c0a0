package dev.aicost.benchmarks;

import dev.aicost.bootstrap.AiCallBridge;
import dev.aicost.bootstrap.AiCallHandle;
import dev.aicost.bootstrap.AiCallStart;
import dev.aicost.exporters.JsonlCostLedger;
import dev.aicost.exporters.spans.CompletedSpanTracerProvider;
import dev.aicost.pricing.CostCalculator;
import dev.aicost.sdk.AiCallRecorder;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's recording pipeline as the agent builds it, with the exporters' network ends replaced by counters: the
 * OpenTelemetry SDK's {@link BatchSpanProcessor} (default queue 2,048, batches of 512) and a
 * {@link PeriodicMetricReader} (cumulative, as OTLP defaults) hand their batches to exporters that count and discard,
 * and the JSONL ledger's writer thread serializes every record to {@code /dev/null}. AI call spans go straight to the
 * span processor, as in the agent ({@code aicost.recording.direct-spans}). Installed as the
 * {@link AiCallBridge} sink, so a call goes through the same entry point the instrumentation uses.
 */
public final class BenchPipeline implements AutoCloseable {

  /** Counts what the span processor exported. */
  public final AtomicLong exportedSpans = new AtomicLong();
  /** Counts metric points collected and exported. */
  public final AtomicLong exportedMetricPoints = new AtomicLong();

  private final OpenTelemetrySdk sdk;
  private final JsonlCostLedger ledger;
  private final AiCallRecorder recorder;

  public BenchPipeline(int customerMetricValues, Duration metricInterval) {
    this(customerMetricValues, metricInterval, true);
  }

  /**
   * @param withSdk {@code false}: OpenTelemetry's no-op API instead of the SDK, which isolates what aicost itself
   *     costs from what the OpenTelemetry SDK costs per span and measurement
   */
  public BenchPipeline(int customerMetricValues, Duration metricInterval, boolean withSdk) {
    this(customerMetricValues, metricInterval, withSdk, false);
  }

  /**
   * @param background complete calls on the recorder thread, as the agent's pipeline does
   *     ({@code aicost.recording.background}); {@code false} completes them on the calling thread, which then does
   *     (and is measured for) the whole recording work
   */
  public BenchPipeline(int customerMetricValues, Duration metricInterval, boolean withSdk, boolean background) {
    this(customerMetricValues, metricInterval, withSdk, background, true);
  }

  /**
   * @param directSpans AI call spans go straight to the span processor ({@link CompletedSpanTracerProvider}), as the
   *     agent's pipeline sends them by default; {@code false}: through the SDK's own tracer
   *     ({@code aicost.recording.direct-spans=false})
   */
  public BenchPipeline(
      int customerMetricValues, Duration metricInterval, boolean withSdk, boolean background, boolean directSpans) {
    BatchSpanProcessor spanProcessor = BatchSpanProcessor.builder(new CountingSpanExporter(exportedSpans)).build();
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder().addSpanProcessor(spanProcessor).build();
    SdkMeterProvider meterProvider =
        SdkMeterProvider.builder()
            .registerMetricReader(
                PeriodicMetricReader.builder(new CountingMetricExporter(exportedMetricPoints))
                    .setInterval(metricInterval)
                    .build())
            .build();
    sdk = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).setMeterProvider(meterProvider).build();
    OpenTelemetry api = withSdk ? sdk : OpenTelemetry.noop();
    Path devNull = Paths.get("/dev/null");
    try {
      ledger = JsonlCostLedger.open(devNull, 100_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    AiCallRecorder.Builder builder =
        AiCallRecorder.builder(api, CostCalculator.bundled())
            .customerMetricValues(customerMetricValues)
            .serviceName("bench")
            .addSink(ledger)
            .completeInBackground(background);
    if (withSdk && directSpans) {
      builder.callSpanTracerProvider(
          CompletedSpanTracerProvider.of(tracerProvider, List.of(spanProcessor), Resource.getDefault()));
    }
    recorder = builder.build();
    AiCallBridge.install(recorder);
  }

  /**
   * One chat completion as the openai-java instrumentation reports it: start, response model and id, finish reason,
   * usage with cached input, end.
   */
  public static void recordChatCall(AiCallStart start) {
    AiCallHandle call = AiCallBridge.start(start);
    call.responseModel("gpt-4o-2024-08-06")
        .responseId("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT")
        .finishReason("stop")
        .usage(1_200, 350)
        .cacheReadTokens(200);
    call.end();
  }

  /** What the instrumentation builds per call before it calls the bridge. */
  public static AiCallStart chatStart() {
    return AiCallStart.of("openai", "chat").requestModel("gpt-4o").stream(false).server("api.openai.com", 443);
  }

  public JsonlCostLedger ledger() {
    return ledger;
  }

  public AiCallRecorder recorder() {
    return recorder;
  }

  @Override
  public void close() {
    AiCallBridge.uninstall(recorder);
    recorder.close();
    ledger.close();
    sdk.shutdown().join(10, TimeUnit.SECONDS);
  }

  private static final class CountingSpanExporter implements SpanExporter {
    private final AtomicLong count;

    CountingSpanExporter(AtomicLong count) {
      this.count = count;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      count.addAndGet(spans.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  private static final class CountingMetricExporter implements MetricExporter {
    private final AtomicLong count;

    CountingMetricExporter(AtomicLong count) {
      this.count = count;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      for (MetricData m : metrics) {
        count.addAndGet(m.getData().getPoints().size());
      }
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
