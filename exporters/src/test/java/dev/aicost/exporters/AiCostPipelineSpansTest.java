package dev.aicost.exporters;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.bootstrap.AiCallStart;
import dev.aicost.pricing.CostCalculator;
import dev.aicost.sdk.AiCostSettings;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's AI call spans reach the exporters the user configured through {@code otel.*}, whether they go
 * straight to the SDK's span processors (the default) or through its tracer. The console exporter logs each span as
 * it ends, which makes the exported span visible here.
 */
class AiCostPipelineSpansTest {

  private static final Logger CONSOLE_EXPORTER =
      Logger.getLogger("io.opentelemetry.exporter.logging.LoggingSpanExporter");
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void setUp() {
    CONSOLE_EXPORTER.addHandler(capture);
    System.setProperty("otel.metrics.exporter", "none");
  }

  @AfterEach
  void tearDown() {
    CONSOLE_EXPORTER.removeHandler(capture);
    System.clearProperty("otel.traces.exporter");
    System.clearProperty("otel.metrics.exporter");
  }

  @Test
  void callSpansGoStraightToTheConfiguredExporterByDefault() {
    System.setProperty("otel.traces.exporter", "console");
    try (AiCostPipeline p = AiCostPipeline.create(AiCostSettings.of(Map.of()), CostCalculator.bundled())) {
      assertThat(p.directCallSpans()).isTrue();
      String traceId = callAndFlush(p);
      assertThat(logged).anySatisfy(line -> assertThat(line).contains(traceId).contains("gen_ai.usage.cost.amount=0.0035"));
    }
  }

  @Test
  void callSpansCanGoThroughTheSdksTracer() {
    System.setProperty("otel.traces.exporter", "console");
    try (AiCostPipeline p =
        AiCostPipeline.create(
            AiCostSettings.of(Map.of(AiCostPipeline.RECORDING_DIRECT_SPANS, "false")), CostCalculator.bundled())) {
      assertThat(p.directCallSpans()).isFalse();
      String traceId = callAndFlush(p);
      assertThat(logged).anySatisfy(line -> assertThat(line).contains(traceId).contains("gen_ai.usage.cost.amount=0.0035"));
    }
  }

  @Test
  void withoutSpanExportersTheSdksTracerStaysInCharge() {
    System.setProperty("otel.traces.exporter", "none");
    try (AiCostPipeline p = AiCostPipeline.create(AiCostSettings.of(Map.of()), CostCalculator.bundled())) {
      assertThat(p.directCallSpans()).isFalse();
      callAndFlush(p);
      assertThat(logged).isEmpty();
    }
  }

  /** One priced call; returns the trace id its cost record names. */
  private static String callAndFlush(AiCostPipeline p) {
    List<String> traceIds = new CopyOnWriteArrayList<>();
    p.recorder().addSink(r -> traceIds.add(String.valueOf(r.traceId())));
    p.recorder().start(AiCallStart.of("openai", "chat").requestModel("gpt-4o")).usage(1000, 100).end();
    p.flush();
    assertThat(traceIds).hasSize(1);
    return traceIds.get(0);
  }
}
