package dev.aicost.exporters;

import dev.aicost.pricing.CostCalculator;
import dev.aicost.sdk.AiCallRecorder;
import dev.aicost.sdk.AiCostSettings;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Everything needed to record AI calls, wired from settings: an OpenTelemetry SDK configured by the standard
 * {@code OTEL_*} variables (OTLP over http/protobuf or gRPC, console, none), the recorder, the JSONL cost ledger and
 * the console printer. The agent builds one at start-up; an application using the SDK without the agent may too:
 *
 * <pre>{@code
 * AiCostPipeline pipeline = AiCostPipeline.create(AiCostSettings.fromSystem(), CostCalculator.bundled());
 * AiCost.install(pipeline.recorder());
 * }</pre>
 */
public final class AiCostPipeline implements Closeable {

  /** Setting: path of the JSONL cost ledger; unset means no ledger. */
  public static final String LEDGER_PATH = "aicost.ledger.path";
  /** Setting: records that may wait for the ledger writer before new ones are dropped. */
  public static final String LEDGER_QUEUE_CAPACITY = "aicost.ledger.queue-capacity";
  /** Setting: print one line per call on standard error. */
  public static final String CONSOLE_ENABLED = "aicost.console.enabled";
  /** Setting: distinct customers kept on the spend metric (0 = customers off metrics). */
  public static final String METRICS_CUSTOMER_MAX = "aicost.metrics.customer.max-values";

  private final OpenTelemetrySdk openTelemetry;
  private final AiCallRecorder recorder;
  private final JsonlCostLedger ledger;
  private final PricingSetup pricing;

  private AiCostPipeline(
      OpenTelemetrySdk openTelemetry, AiCallRecorder recorder, JsonlCostLedger ledger, PricingSetup pricing) {
    this.openTelemetry = openTelemetry;
    this.recorder = recorder;
    this.ledger = ledger;
    this.pricing = pricing;
  }

  /**
   * Builds the pipeline with the price catalog the settings describe ({@value PricingSetup#CATALOG},
   * {@value PricingSetup#IMPORT}, {@value PricingSetup#AZURE_DEPLOYMENTS}). A catalog layer that cannot be used
   * does not stop the pipeline: it is left out and reported in {@link #pricingProblems()}.
   *
   * @throws IllegalArgumentException for a malformed aicost setting (the message names it)
   * @throws UncheckedIOException when the ledger file cannot be opened
   */
  public static AiCostPipeline create(AiCostSettings settings) {
    PricingSetup pricing = PricingSetup.load(settings);
    return create(settings, pricing.calculator(), pricing);
  }

  /**
   * Builds the pipeline. Export settings are the standard OpenTelemetry ones; aicost changes one default: OTLP uses
   * {@code http/protobuf} unless {@code OTEL_EXPORTER_OTLP_PROTOCOL} says otherwise, as the OpenTelemetry Java agent
   * does.
   *
   * @throws IllegalArgumentException for a malformed aicost setting (the message names it)
   * @throws UncheckedIOException when the ledger file cannot be opened
   */
  public static AiCostPipeline create(AiCostSettings settings, CostCalculator calculator) {
    return create(settings, calculator, null);
  }

  private static AiCostPipeline create(AiCostSettings settings, CostCalculator calculator, PricingSetup pricing) {
    String ledgerPath = settings.getString(LEDGER_PATH);
    int capacity = settings.getInt(LEDGER_QUEUE_CAPACITY, 100_000, 1, 10_000_000);
    boolean console = settings.getBoolean(CONSOLE_ENABLED, false);
    int customers = settings.getInt(METRICS_CUSTOMER_MAX, 0, 0, 100_000);

    JsonlCostLedger ledger = null;
    if (ledgerPath != null) {
      Path path;
      try {
        path = Paths.get(ledgerPath);
      } catch (RuntimeException e) {
        throw AiCostSettings.invalid(LEDGER_PATH, ledgerPath, "a file path");
      }
      try {
        ledger = JsonlCostLedger.open(path, capacity);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open the cost ledger " + ledgerPath + " (" + LEDGER_PATH + ")", e);
      }
    }

    OpenTelemetrySdk sdk = autoConfigure();
    AiCallRecorder.Builder recorder =
        AiCallRecorder.builder(sdk, calculator).customerMetricValues(customers);
    if (ledger != null) {
      recorder.addSink(ledger);
    }
    if (console) {
      recorder.addSink(new ConsoleCostPrinter(System.err));
    }
    return new AiCostPipeline(sdk, recorder.build(), ledger, pricing);
  }

  private static OpenTelemetrySdk autoConfigure() {
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(AiCostPipeline::otelDefaults)
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
  }

  /** Defaults that the user's {@code otel.*} system properties and {@code OTEL_*} variables override. */
  private static Map<String, String> otelDefaults() {
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    return defaults;
  }

  /** One line per configured price-catalog layer that could not be used; empty when all work (or none is set). */
  public List<String> pricingProblems() {
    return pricing == null ? Collections.<String>emptyList() : pricing.problems();
  }

  /** One line per price-catalog layer in use (imports, user catalog). */
  public List<String> pricingNotes() {
    return pricing == null ? Collections.<String>emptyList() : pricing.notes();
  }

  public AiCallRecorder recorder() {
    return recorder;
  }

  public OpenTelemetrySdk openTelemetry() {
    return openTelemetry;
  }

  /** The ledger, or {@code null} when {@value #LEDGER_PATH} is unset. */
  public JsonlCostLedger ledger() {
    return ledger;
  }

  /** Writes what is pending (ledger lines, spans, metrics) without closing anything. */
  public void flush() {
    recorder.flush();
    openTelemetry.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
    openTelemetry.getSdkMeterProvider().forceFlush().join(10, TimeUnit.SECONDS);
  }

  /** Flushes and closes the ledger, then shuts OpenTelemetry down (exporting what is pending). */
  @Override
  public void close() {
    recorder.flush();
    if (ledger != null) {
      ledger.close();
    }
    openTelemetry.shutdown().join(10, TimeUnit.SECONDS);
  }
}
