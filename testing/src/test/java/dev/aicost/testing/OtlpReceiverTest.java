package dev.aicost.testing;

import static io.opentelemetry.api.common.AttributeKey.booleanArrayKey;
import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longArrayKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The receiver against the real OpenTelemetry Java SDK OTLP exporters, over http/protobuf and gRPC. */
@SuppressWarnings("try") // Scope resources exist for their side effect
class OtlpReceiverTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Resource RESOURCE = Resource.getDefault().merge(Resource.create(Attributes.of(
      stringKey("service.name"), "receiver-test", stringKey("deployment.environment.name"), "test")));
  private static final RetryPolicy FAST_RETRY = RetryPolicy.builder()
      .setMaxAttempts(3).setInitialBackoff(Duration.ofMillis(10)).setMaxBackoff(Duration.ofMillis(50)).build();

  private static OtlpReceiver receiver;

  /** The two protocols under test (JSON is exercised by hand below: the Java exporters only send protobuf). */
  enum Transport {
    HTTP,
    GRPC
  }

  @BeforeAll
  static void start() {
    receiver = OtlpReceiver.start();
  }

  @AfterAll
  static void stop() {
    receiver.close();
  }

  @BeforeEach
  void reset() {
    receiver.reset();
  }

  private static SpanExporter spanExporter(Transport transport, boolean gzip) {
    return switch (transport) {
      case HTTP -> OtlpHttpSpanExporter.builder()
          .setEndpoint(receiver.httpEndpoint() + "/v1/traces")
          .setCompression(gzip ? "gzip" : "none")
          .addHeader("x-tenant", "t-1")
          .setRetryPolicy(FAST_RETRY)
          .build();
      case GRPC -> OtlpGrpcSpanExporter.builder()
          .setEndpoint(receiver.grpcEndpoint())
          .setCompression(gzip ? "gzip" : "none")
          .addHeader("x-tenant", "t-1")
          .setRetryPolicy(FAST_RETRY)
          .build();
    };
  }

  private static MetricExporter metricExporter(Transport transport) {
    return switch (transport) {
      case HTTP -> OtlpHttpMetricExporter.builder().setEndpoint(receiver.httpEndpoint() + "/v1/metrics").build();
      case GRPC -> OtlpGrpcMetricExporter.builder().setEndpoint(receiver.grpcEndpoint()).build();
    };
  }

  private static LogRecordExporter logExporter(Transport transport) {
    return switch (transport) {
      case HTTP -> OtlpHttpLogRecordExporter.builder().setEndpoint(receiver.httpEndpoint() + "/v1/logs").build();
      case GRPC -> OtlpGrpcLogRecordExporter.builder().setEndpoint(receiver.grpcEndpoint()).build();
    };
  }

  private static OtlpReceiver.Protocol protocol(Transport transport) {
    return transport == Transport.HTTP ? OtlpReceiver.Protocol.HTTP_PROTOBUF : OtlpReceiver.Protocol.GRPC;
  }

  private static OtlpReceiver.Protocol other(Transport transport) {
    return transport == Transport.HTTP ? OtlpReceiver.Protocol.GRPC : OtlpReceiver.Protocol.HTTP_PROTOBUF;
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void spansRoundTrip(Transport transport) {
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(RESOURCE)
        .addSpanProcessor(SimpleSpanProcessor.create(spanExporter(transport, transport == Transport.GRPC)))
        .build();
    String traceId;
    String parentId;
    String childId;
    try {
      Tracer tracer = provider.tracerBuilder("dev.aicost.test").setInstrumentationVersion("1.2.3").build();
      Span parent = tracer.spanBuilder("handle request").setSpanKind(SpanKind.SERVER).startSpan();
      try (Scope ignored = parent.makeCurrent()) {
        Span child = tracer.spanBuilder("chat gpt-4o")
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute("gen_ai.request.model", "gpt-4o")
            .setAttribute(longKey("gen_ai.usage.input_tokens"), 1218L)
            .setAttribute(doubleKey("aicost.cost.usd"), 0.0125)
            .setAttribute(booleanKey("aicost.stream"), true)
            .setAttribute(stringArrayKey("gen_ai.response.finish_reasons"), List.of("stop", "length"))
            .setAttribute(longArrayKey("ids"), List.of(1L, 2L))
            .setAttribute(booleanArrayKey("flags"), List.of(true, false))
            .startSpan();
        child.addEvent("first_token", Attributes.of(longKey("index"), 0L));
        child.setStatus(StatusCode.ERROR, "rate limited");
        child.end();
        childId = child.getSpanContext().getSpanId();
      }
      parent.end();
      traceId = parent.getSpanContext().getTraceId();
      parentId = parent.getSpanContext().getSpanId();
      provider.forceFlush().join(10, TimeUnit.SECONDS);
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }

    List<ReceivedSpan> spans = receiver.awaitSpans(2, WAIT);
    assertThat(spans).extracting(ReceivedSpan::name).containsExactlyInAnyOrder("chat gpt-4o", "handle request");

    ReceivedSpan child = receiver.awaitSpan("chat gpt-4o", WAIT);
    assertThat(child.kind()).isEqualTo(ReceivedSpan.Kind.CLIENT);
    assertThat(child.traceId()).isEqualTo(traceId).hasSize(32);
    assertThat(child.spanId()).isEqualTo(childId).hasSize(16);
    assertThat(child.parentSpanId()).isEqualTo(parentId);
    assertThat(child.isRoot()).isFalse();
    assertThat(child.statusCode()).isEqualTo(ReceivedSpan.StatusCode.ERROR);
    assertThat(child.statusMessage()).isEqualTo("rate limited");
    assertThat(child.endEpochNanos()).isGreaterThanOrEqualTo(child.startEpochNanos());
    assertThat(child.startEpochNanos()).isGreaterThan(1_600_000_000_000_000_000L);
    assertThat(child.attributes()).containsExactly(
        entry("gen_ai.request.model", "gpt-4o"),
        entry("gen_ai.usage.input_tokens", 1218L),
        entry("aicost.cost.usd", 0.0125),
        entry("aicost.stream", true),
        entry("gen_ai.response.finish_reasons", List.of("stop", "length")),
        entry("ids", List.of(1L, 2L)),
        entry("flags", List.of(true, false)));
    assertThat(child.longAttribute("gen_ai.usage.input_tokens")).contains(1218L);
    assertThat(child.doubleAttribute("aicost.cost.usd")).contains(0.0125);
    assertThat(child.booleanAttribute("aicost.stream")).contains(true);
    assertThat(child.stringAttribute("missing")).isEmpty();
    assertThatThrownBy(() -> child.stringAttribute("gen_ai.usage.input_tokens"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("is a Long");
    assertThat(child.event("first_token")).hasValueSatisfying(e -> {
      assertThat(e.attributes()).containsExactly(entry("index", 0L));
      assertThat(e.epochNanos()).isBetween(child.startEpochNanos(), child.endEpochNanos());
    });
    assertThat(child.scopeName()).isEqualTo("dev.aicost.test");
    assertThat(child.scopeVersion()).isEqualTo("1.2.3");
    assertThat(child.resourceAttributes())
        .contains(entry("service.name", "receiver-test"), entry("telemetry.sdk.language", "java"));

    ReceivedSpan parent = receiver.spans("handle request").get(0);
    assertThat(parent.isRoot()).isTrue();
    assertThat(parent.parentSpanId()).isEmpty();
    assertThat(parent.kind()).isEqualTo(ReceivedSpan.Kind.SERVER);
    assertThat(parent.statusCode()).isEqualTo(ReceivedSpan.StatusCode.UNSET);

    assertThat(receiver.exportRequestCount(protocol(transport))).isEqualTo(2);
    assertThat(receiver.exportRequestCount(protocol(transport), OtlpReceiver.Signal.TRACES)).isEqualTo(2);
    assertThat(receiver.exportRequestCount(other(transport))).isZero();
    assertThat(receiver.exports()).allSatisfy(e -> {
      assertThat(e.protocol()).isEqualTo(protocol(transport));
      assertThat(e.signal()).isEqualTo(OtlpReceiver.Signal.TRACES);
      assertThat(e.header("x-tenant")).contains("t-1");
    });
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void histogramAndCounterMetricsRoundTrip(Transport transport) {
    SdkMeterProvider provider = SdkMeterProvider.builder()
        .setResource(RESOURCE)
        .registerMetricReader(PeriodicMetricReader.builder(metricExporter(transport))
            .setInterval(Duration.ofHours(1)).build())
        .build();
    try {
      Meter meter = provider.get("dev.aicost.metrics");
      DoubleHistogram tokens = meter.histogramBuilder("gen_ai.client.token.usage")
          .setUnit("{token}")
          .setDescription("Measures number of input and output tokens used")
          .setExplicitBucketBoundariesAdvice(List.of(10.0, 100.0, 1000.0))
          .build();
      Attributes input = Attributes.of(stringKey("gen_ai.token.type"), "input", stringKey("gen_ai.request.model"),
          "gpt-4o");
      tokens.record(5, input);
      tokens.record(50, input);
      tokens.record(5000, input);
      tokens.record(64, Attributes.of(stringKey("gen_ai.token.type"), "output"));
      LongCounter requests = meter.counterBuilder("aicost.requests").setUnit("{request}").build();
      requests.add(3, Attributes.of(stringKey("provider"), "openai"));
      meter.gaugeBuilder("aicost.budget.remaining").setUnit("USD").build()
          .set(12.5, Attributes.of(stringKey("budget"), "team-a"));
      provider.forceFlush().join(10, TimeUnit.SECONDS);
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }

    MetricPoint inputPoint = receiver.awaitMetric("gen_ai.client.token.usage",
        p -> "input".equals(p.attribute("gen_ai.token.type")), WAIT);
    assertThat(inputPoint.type()).isEqualTo(MetricPoint.Type.HISTOGRAM);
    assertThat(inputPoint.temporality()).isEqualTo(MetricPoint.Temporality.CUMULATIVE);
    assertThat(inputPoint.unit()).isEqualTo("{token}");
    assertThat(inputPoint.description()).isEqualTo("Measures number of input and output tokens used");
    assertThat(inputPoint.attributes()).containsOnly(
        entry("gen_ai.token.type", "input"), entry("gen_ai.request.model", "gpt-4o"));
    assertThat(inputPoint.count()).isEqualTo(3);
    assertThat(inputPoint.sum()).isEqualTo(5055.0);
    assertThat(inputPoint.min()).isEqualTo(5.0);
    assertThat(inputPoint.max()).isEqualTo(5000.0);
    assertThat(inputPoint.explicitBounds()).containsExactly(10.0, 100.0, 1000.0);
    assertThat(inputPoint.bucketCounts()).containsExactly(1L, 1L, 0L, 1L);
    assertThat(inputPoint.value()).isNull();
    assertThat(inputPoint.scopeName()).isEqualTo("dev.aicost.metrics");
    assertThat(inputPoint.resourceAttributes()).contains(entry("service.name", "receiver-test"));
    assertThat(inputPoint.raw()).isInstanceOf(io.opentelemetry.proto.metrics.v1.HistogramDataPoint.class);

    // forceFlush and shutdown each export the cumulative state: two exports of two points each. Within an export
    // the SDK's order follows the hash of the attribute sets, which includes identity hashes: any order is right.
    List<Object> tokenTypes =
        receiver.metricPoints("gen_ai.client.token.usage").stream().map(p -> p.attribute("gen_ai.token.type")).toList();
    assertThat(tokenTypes).hasSize(4);
    assertThat(tokenTypes.subList(0, 2)).containsExactlyInAnyOrder("input", "output");
    assertThat(tokenTypes.subList(2, 4)).containsExactlyInAnyOrder("input", "output");
    MetricPoint counter = receiver.awaitMetric("aicost.requests", WAIT);
    assertThat(counter.type()).isEqualTo(MetricPoint.Type.SUM);
    assertThat(counter.monotonic()).isTrue();
    assertThat(counter.longValue()).isEqualTo(3);
    assertThat(counter.doubleValue()).isEqualTo(3.0);
    assertThat(counter.attributes()).containsOnly(entry("provider", "openai"));
    MetricPoint gauge = receiver.awaitMetric("aicost.budget.remaining", WAIT);
    assertThat(gauge.type()).isEqualTo(MetricPoint.Type.GAUGE);
    assertThat(gauge.doubleValue()).isEqualTo(12.5);
    assertThat(gauge.temporality()).isEqualTo(MetricPoint.Temporality.UNSPECIFIED);
    assertThatThrownBy(gauge::longValue).isInstanceOf(AssertionError.class);
    // (the SDK adds self-observability metrics such as otel.sdk.metric_reader.collection.duration)
    assertThat(receiver.metricNames())
        .contains("gen_ai.client.token.usage", "aicost.requests", "aicost.budget.remaining");
    assertThat(receiver.exportRequestCount(protocol(transport), OtlpReceiver.Signal.METRICS)).isPositive();
    assertThat(receiver.exportRequestCount(other(transport))).isZero();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void logRecordsRoundTrip(Transport transport) {
    // (an SDK tracer provider without processors hands out non-recording spans)
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(spanExporter(transport, false))).build();
    SdkLoggerProvider provider = SdkLoggerProvider.builder()
        .setResource(RESOURCE)
        .addLogRecordProcessor(SimpleLogRecordProcessor.create(logExporter(transport)))
        .build();
    Span span = tracerProvider.get("t").spanBuilder("s").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      provider.get("dev.aicost.logs").logRecordBuilder()
          .setBody("budget exceeded")
          .setSeverity(Severity.WARN)
          .setSeverityText("WARN")
          .setAttribute(stringKey("budget"), "team-a")
          .emit();
    } finally {
      span.end();
      provider.forceFlush().join(10, TimeUnit.SECONDS);
      provider.shutdown().join(10, TimeUnit.SECONDS);
      tracerProvider.shutdown().join(10, TimeUnit.SECONDS);
    }

    ReceivedLogRecord record = receiver.awaitLogRecord(r -> r.bodyAsString().equals("budget exceeded"), WAIT);
    assertThat(record.severityNumber()).isEqualTo(Severity.WARN.getSeverityNumber());
    assertThat(record.severityText()).isEqualTo("WARN");
    assertThat(record.attributes()).containsOnly(entry("budget", "team-a"));
    assertThat(record.traceId()).isEqualTo(span.getSpanContext().getTraceId());
    assertThat(record.spanId()).isEqualTo(span.getSpanContext().getSpanId());
    assertThat(record.scopeName()).isEqualTo("dev.aicost.logs");
    assertThat(record.resourceAttributes()).contains(entry("service.name", "receiver-test"));
    assertThat(receiver.awaitSpan("s", WAIT).spanId()).isEqualTo(record.spanId());
    assertThat(receiver.logRecords()).hasSize(1);
    assertThat(receiver.exportRequestCount(protocol(transport), OtlpReceiver.Signal.LOGS)).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void injectedFailuresAreRetriedByTheExporter(Transport transport) {
    receiver.failNextExports(1, 503);
    SpanExporter exporter = spanExporter(transport, false);
    SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    try {
      provider.get("t").spanBuilder("retried").startSpan().end();
      provider.forceFlush().join(10, TimeUnit.SECONDS);
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }

    assertThat(receiver.awaitSpan("retried", WAIT)).isNotNull();
    assertThat(receiver.spans()).hasSize(1);
    assertThat(receiver.exportRequestCount(protocol(transport), OtlpReceiver.Signal.TRACES)).isEqualTo(2);
    assertThat(receiver.exports()).hasSize(1);
  }

  @Test
  void nonRetryableFailureDropsTheBatch() {
    receiver.failNextExports(1, 400);
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(spanExporter(Transport.HTTP, false))).build();
    try {
      provider.get("t").spanBuilder("dropped").startSpan().end();
      provider.forceFlush().join(10, TimeUnit.SECONDS);
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
    assertThat(receiver.exportRequestCount(OtlpReceiver.Protocol.HTTP_PROTOBUF)).isEqualTo(1);
    assertThat(receiver.spans()).isEmpty();
  }

  @Test
  void otlpJsonWithHexIdsIsAccepted() throws Exception {
    String json = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-svc"}}]},
          "scopeSpans":[{"scope":{"name":"json-scope"},"spans":[{
            "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",
            "parentSpanId":"eee19b7ec3c1b173","name":"json span","kind":3,
            "startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000",
            "attributes":[{"key":"n","value":{"intValue":"42"}},{"key":"d","value":{"doubleValue":1.5}},
                          {"key":"kv","value":{"kvlistValue":{"values":[{"key":"a","value":{"boolValue":true}}]}}}],
            "status":{"code":2,"message":"boom"}}]}]}]}
        """;
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(receiver.httpEndpoint() + "/v1/traces"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    ReceivedSpan span = receiver.awaitSpan("json span", WAIT);
    assertThat(span.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(span.spanId()).isEqualTo("eee19b7ec3c1b174");
    assertThat(span.parentSpanId()).isEqualTo("eee19b7ec3c1b173");
    assertThat(span.kind()).isEqualTo(ReceivedSpan.Kind.CLIENT);
    assertThat(span.duration()).isEqualTo(Duration.ofSeconds(1));
    assertThat(span.attributes()).containsExactly(
        entry("n", 42L), entry("d", 1.5), entry("kv", Map.of("a", true)));
    assertThat(span.statusCode()).isEqualTo(ReceivedSpan.StatusCode.ERROR);
    assertThat(span.resourceAttributes()).containsExactly(entry("service.name", "json-svc"));
    assertThat(receiver.exportRequestCount(OtlpReceiver.Protocol.HTTP_JSON)).isEqualTo(1);
  }

  @Test
  void badRequestsAreRejectedWithoutBeingStored() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> wrongType = http.send(
        HttpRequest.newBuilder(URI.create(receiver.httpEndpoint() + "/v1/traces"))
            .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(wrongType.statusCode()).isEqualTo(415);
    HttpResponse<String> garbage = http.send(
        HttpRequest.newBuilder(URI.create(receiver.httpEndpoint() + "/v1/metrics"))
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xff, 0x01, 0x02})).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(garbage.statusCode()).isEqualTo(400);
    HttpResponse<String> wrongPath = http.send(
        HttpRequest.newBuilder(URI.create(receiver.httpEndpoint() + "/v1/profiles"))
            .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(wrongPath.statusCode()).isEqualTo(404);
    assertThat(receiver.exports()).isEmpty();
  }

  @Test
  void awaitTimesOutListingWhatArrived() {
    OtlpHttpSpanExporter exporter = (OtlpHttpSpanExporter) spanExporter(Transport.HTTP, false);
    SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    provider.get("t").spanBuilder("only this one").startSpan().end();
    provider.shutdown().join(10, TimeUnit.SECONDS);

    assertThatThrownBy(() -> receiver.awaitSpan("never", Duration.ofMillis(200)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("never")
        .hasMessageContaining("only this one");
    assertThatThrownBy(() -> receiver.awaitMetric("nope", Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class);
    receiver.reset();
    assertThat(receiver.spans()).isEmpty();
    assertThat(receiver.exportRequestCount(OtlpReceiver.Protocol.HTTP_PROTOBUF)).isZero();
  }

  @Test
  void endpointsAreLoopback() {
    assertThat(receiver.httpEndpoint()).isEqualTo("http://127.0.0.1:" + receiver.httpPort());
    assertThat(receiver.grpcEndpoint()).isEqualTo("http://127.0.0.1:" + receiver.grpcPort());
    assertThat(receiver.httpPort()).isNotEqualTo(receiver.grpcPort());
    assertThat(receiver.otelExporterProperties(OtlpReceiver.Protocol.GRPC)).containsExactly(
        entry("otel.exporter.otlp.endpoint", receiver.grpcEndpoint()), entry("otel.exporter.otlp.protocol", "grpc"));
    assertThat(receiver.otelExporterProperties(OtlpReceiver.Protocol.HTTP_PROTOBUF)).containsExactly(
        entry("otel.exporter.otlp.endpoint", receiver.httpEndpoint()),
        entry("otel.exporter.otlp.protocol", "http/protobuf"));
  }
}
