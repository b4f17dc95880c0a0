package dev.aicost.exporters;

import dev.aicost.bootstrap.Attribution;
import dev.aicost.bootstrap.AttributionPropagation;
import dev.aicost.exporters.spans.CompletedSpanTracerProvider;
import dev.aicost.pricing.CostCalculator;
import dev.aicost.sdk.AiCallRecorder;
import dev.aicost.sdk.AiCostSettings;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;

/**
 * Everything needed to record AI calls, wired from settings: an OpenTelemetry SDK configured by the standard
 * {@code OTEL_*} variables (OTLP over http/protobuf or gRPC, console, none), the recorder, the JSONL cost ledger and
 * the console printer. The agent builds one at start-up; an application using the SDK without the agent may too:
 *
 * <pre>{@code
 * AiCostPipeline pipeline = AiCostPipeline.create(AiCostSettings.fromSystem()); // aicost.pricing.* settings applied
 * pipeline.pricingProblems().forEach(System.err::println);                     // layers that could not be used
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
  /**
   * Setting: complete calls on the {@code aicost-recorder} thread (default {@code true}); {@code false} records each
   * call completely on the thread that made it.
   */
  public static final String RECORDING_BACKGROUND = "aicost.recording.background";
  /**
   * Setting: AI call spans go straight to the SDK's span processors as {@link CompletedSpanTracerProvider} spans
   * (default {@code true}); {@code false}: through the SDK's own tracer.
   */
  public static final String RECORDING_DIRECT_SPANS = "aicost.recording.direct-spans";
  /** Setting: distinct customers kept on the spend metric (0 = customers off metrics). */
  public static final String METRICS_CUSTOMER_MAX = "aicost.metrics.customer.max-values";

  /** Settings: default attribution, {@code aicost.default.<field>}. */
  public static final String DEFAULT_PREFIX = "aicost.default.";
  /** Setting: attribution fields sent in outgoing W3C Baggage. */
  public static final String PROPAGATE_KEYS = "aicost.attribution.propagate-keys";
  /** Setting: attribution fields believed from inbound W3C Baggage. */
  public static final String TRUSTED_INBOUND_KEYS = "aicost.attribution.trusted-inbound-keys";
  /** Setting: services whose inbound attribution is believed ({@code aicost.source}); empty = any. */
  public static final String TRUSTED_INBOUND_SOURCES = "aicost.attribution.trusted-inbound-sources";
  /** The fields sent in outgoing baggage unless configured otherwise (customers are not sent by default). */
  public static final String DEFAULT_PROPAGATE_KEYS = "team,feature,agent,experiment,task";

  private static final String[] DEFAULT_FIELDS = {"team", "feature", "agent", "customer", "experiment"};

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  private final OpenTelemetrySdk openTelemetry;
  private final AiCallRecorder recorder;
  private final JsonlCostLedger ledger;
  private final PricingSetup pricing;
  private final boolean directCallSpans;

  private AiCostPipeline(
      OpenTelemetrySdk openTelemetry,
      AiCallRecorder recorder,
      JsonlCostLedger ledger,
      PricingSetup pricing,
      boolean directCallSpans) {
    this.openTelemetry = openTelemetry;
    this.recorder = recorder;
    this.ledger = ledger;
    this.pricing = pricing;
    this.directCallSpans = directCallSpans;
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
    boolean background = settings.getBoolean(RECORDING_BACKGROUND, true);
    boolean directSpans = settings.getBoolean(RECORDING_DIRECT_SPANS, true);
    int customers = settings.getInt(METRICS_CUSTOMER_MAX, 0, 0, 100_000);
    Attribution defaults = defaults(settings);
    List<String> propagate = fieldList(settings, PROPAGATE_KEYS, DEFAULT_PROPAGATE_KEYS);
    List<String> trusted = fieldList(settings, TRUSTED_INBOUND_KEYS, "");
    List<String> sources = settings.getList(TRUSTED_INBOUND_SOURCES);

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

    AtomicReference<Resource> resource = new AtomicReference<>(Resource.getDefault());
    List<SpanProcessor> spanProcessors = new ArrayList<>(); // filled by autoConfigure, on this thread
    OpenTelemetrySdk sdk = autoConfigure(resource, spanProcessors);
    String serviceName = resource.get().getAttribute(SERVICE_NAME);
    AttributionPropagation.configure(propagate, trusted, sources, serviceName);
    AiCallRecorder.Builder recorder =
        AiCallRecorder.builder(sdk, calculator)
            .customerMetricValues(customers)
            .defaults(defaults)
            .serviceName(serviceName)
            .completeInBackground(background);
    // With no span processor (otel.traces.exporter=none, or the SDK disabled) the SDK's tracer is left in charge: it
    // then makes the same non-recording spans it always did.
    boolean direct = directSpans && !spanProcessors.isEmpty();
    if (direct) {
      recorder.callSpanTracerProvider(
          CompletedSpanTracerProvider.of(sdk.getSdkTracerProvider(), spanProcessors, resource.get()));
    }
    if (ledger != null) {
      recorder.addSink(ledger);
    }
    if (console) {
      recorder.addSink(new ConsoleCostPrinter(System.err));
    }
    return new AiCostPipeline(sdk, recorder.build(), ledger, pricing, direct);
  }

  /** {@code aicost.default.team}, ... as an attribution; custom keys are not configurable here. */
  static Attribution defaults(AiCostSettings settings) {
    Attribution.Builder b = Attribution.builder();
    for (String field : DEFAULT_FIELDS) {
      b.set(field, settings.getString(DEFAULT_PREFIX + field));
    }
    return b.build();
  }

  /** A comma-separated list of attribution fields ({@code team}, ..., {@code attr.<key>}, {@code attr.*}). */
  static List<String> fieldList(AiCostSettings settings, String name, String defaultValue) {
    String raw = settings.getString(name, defaultValue);
    List<String> out = new ArrayList<>();
    for (String part : raw.split(",")) {
      String f = part.trim();
      if (f.startsWith("aicost.")) {
        f = f.substring("aicost.".length());
      }
      if (f.isEmpty()) {
        continue;
      }
      if (!AttributionPropagation.isConfigurableKey(f)) {
        throw AiCostSettings.invalid(
            name, raw, "a comma-separated list of team, feature, agent, customer, experiment, task, attr.<key>, attr.*");
      }
      out.add(f);
    }
    return out;
  }

  /**
   * @param resource receives the SDK's resource
   * @param spanProcessors receives the SDK's span processors, for {@link CompletedSpanTracerProvider}
   */
  private static OpenTelemetrySdk autoConfigure(AtomicReference<Resource> resource, List<SpanProcessor> spanProcessors) {
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(AiCostPipeline::otelDefaults)
        .addResourceCustomizer(
            (r, config) -> {
              resource.set(r);
              return r;
            })
        .addSpanProcessorCustomizer(
            (processor, config) -> {
              spanProcessors.add(processor);
              return processor;
            })
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
  }

  /** Defaults that the user's {@code otel.*} system properties and {@code OTEL_*} variables override. */
  private static Map<String, String> otelDefaults() {
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    // aicost emits spans and metrics, never log records: an OTLP log exporter would be one more HTTP client and
    // export thread at start-up for nothing.
    defaults.put("otel.logs.exporter", "none");
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

  /**
   * Whether AI call spans go straight to the SDK's span processors ({@value #RECORDING_DIRECT_SPANS} on, and the SDK
   * has span processors at all).
   */
  public boolean directCallSpans() {
    return directCallSpans;
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

  /**
   * Completes the calls still pending, flushes and closes the ledger, then shuts OpenTelemetry down (exporting what is
   * pending).
   */
  @Override
  public void close() {
    recorder.close();
    if (ledger != null) {
      ledger.close();
    }
    openTelemetry.shutdown().join(10, TimeUnit.SECONDS);
  }
}
