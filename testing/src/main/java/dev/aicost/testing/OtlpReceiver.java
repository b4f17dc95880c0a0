package dev.aicost.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * A test OTLP backend on 127.0.0.1, built on the official {@code opentelemetry-proto} classes. It listens on two
 * ephemeral ports:
 *
 * <ul>
 *   <li>OTLP/HTTP ({@link #httpEndpoint()}): {@code POST /v1/traces}, {@code /v1/metrics}, {@code /v1/logs} with
 *       {@code application/x-protobuf} or {@code application/json} bodies, optionally {@code Content-Encoding:
 *       gzip}; the reply is the empty {@code Export*ServiceResponse} in the request's encoding.
 *   <li>OTLP/gRPC ({@link #grpcEndpoint()}): {@code TraceService}, {@code MetricsService} and {@code LogsService}
 *       {@code Export} (gzip accepted).
 * </ul>
 *
 * Every accepted request is stored; the query methods flatten them into {@link ReceivedSpan}, {@link MetricPoint} and
 * {@link ReceivedLogRecord} views, and the {@code await…} methods block until what a test expects has arrived
 * (re-evaluated on each export; they throw {@link AssertionError} listing what did arrive on timeout).
 *
 * <pre>{@code
 * try (OtlpReceiver otlp = OtlpReceiver.start()) {
 *   // point the exporter at otlp.httpEndpoint() + "/v1/traces", or at otlp.grpcEndpoint()
 *   ReceivedSpan span = otlp.awaitSpan(s -> s.name().equals("chat gpt-4o"), Duration.ofSeconds(10));
 *   assertThat(span.longAttribute("gen_ai.usage.input_tokens")).contains(20L);
 *   assertThat(otlp.exportRequestCount(OtlpReceiver.Protocol.GRPC)).isPositive();
 * }
 * }</pre>
 */
public final class OtlpReceiver implements AutoCloseable {

  /** Wire protocol of an export request. */
  public enum Protocol {
    HTTP_PROTOBUF,
    HTTP_JSON,
    GRPC
  }

  /** OTLP signal of an export request. */
  public enum Signal {
    TRACES,
    METRICS,
    LOGS
  }

  static {
    JdkHttpServers.configure();
  }

  private static final Context.Key<Map<String, List<String>>> GRPC_HEADERS = Context.key("otlp-receiver-headers");

  private final HttpServer http;
  private final ExecutorService httpExecutor;
  private final Server grpc;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<ReceivedExport> exports = new ArrayList<>();
  private final Map<Protocol, Map<Signal, AtomicInteger>> requestCounts = new EnumMap<>(Protocol.class);
  private final ArrayDeque<Integer> failures = new ArrayDeque<>();
  private volatile boolean closed;

  private OtlpReceiver() throws IOException {
    for (Protocol protocol : Protocol.values()) {
      Map<Signal, AtomicInteger> bySignal = new EnumMap<>(Signal.class);
      for (Signal signal : Signal.values()) {
        bySignal.put(signal, new AtomicInteger());
      }
      requestCounts.put(protocol, bySignal);
    }
    InetAddress loopback = InetAddress.getLoopbackAddress();
    this.http = HttpServer.create(new InetSocketAddress(loopback, 0), 64);
    AtomicInteger threads = new AtomicInteger();
    this.httpExecutor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "otlp-receiver-http-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(httpExecutor);
    http.createContext("/", this::handleHttp);
    http.start();
    try {
      ServerInterceptor headers = new HeaderCapture();
      this.grpc = NettyServerBuilder.forAddress(new InetSocketAddress(loopback, 0))
          .addService(ServerInterceptors.intercept(new TraceService(), headers))
          .addService(ServerInterceptors.intercept(new MetricsService(), headers))
          .addService(ServerInterceptors.intercept(new LogsService(), headers))
          .build()
          .start();
    } catch (IOException | RuntimeException e) {
      http.stop(0);
      httpExecutor.shutdownNow();
      throw e;
    }
  }

  /** Starts a receiver on two ephemeral loopback ports. */
  public static OtlpReceiver start() {
    try {
      return new OtlpReceiver();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start OtlpReceiver", e);
    }
  }

  // ------------------------------------------------------------------ endpoints

  /** {@code http://127.0.0.1:P}: OTLP/HTTP base; signal paths are {@code /v1/traces}, {@code /v1/metrics}, … */
  public String httpEndpoint() {
    return "http://127.0.0.1:" + httpPort();
  }

  /** {@code http://127.0.0.1:Q}: OTLP/gRPC endpoint (plaintext HTTP/2). */
  public String grpcEndpoint() {
    return "http://127.0.0.1:" + grpcPort();
  }

  /**
   * The OpenTelemetry SDK autoconfiguration properties that point an exporter at this receiver over
   * {@code protocol}: {@code otel.exporter.otlp.endpoint} and {@code otel.exporter.otlp.protocol}
   * ({@code http/protobuf}, {@code http/json} or {@code grpc}). Handy as {@link ForkedJvm.Builder#systemProperty}s.
   */
  public Map<String, String> otelExporterProperties(Protocol protocol) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("otel.exporter.otlp.endpoint", protocol == Protocol.GRPC ? grpcEndpoint() : httpEndpoint());
    properties.put("otel.exporter.otlp.protocol", switch (protocol) {
      case HTTP_PROTOBUF -> "http/protobuf";
      case HTTP_JSON -> "http/json";
      case GRPC -> "grpc";
    });
    return Collections.unmodifiableMap(properties);
  }

  public int httpPort() {
    return http.getAddress().getPort();
  }

  public int grpcPort() {
    return grpc.getPort();
  }

  // ------------------------------------------------------------------ raw exports and counters

  /** Every accepted export request, in arrival order. */
  public List<ReceivedExport> exports() {
    lock.lock();
    try {
      return List.copyOf(exports);
    } finally {
      lock.unlock();
    }
  }

  /** Export requests received over {@code protocol}, for all signals (rejected ones included). */
  public int exportRequestCount(Protocol protocol) {
    return requestCounts.get(protocol).values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Export requests received over {@code protocol} for {@code signal} (rejected ones included). */
  public int exportRequestCount(Protocol protocol, Signal signal) {
    return requestCounts.get(protocol).get(signal).get();
  }

  /**
   * Rejects the next {@code count} export requests (any protocol and signal) with {@code httpStatus}: OTLP/HTTP gets
   * that status with a {@code google.rpc.Status} body; OTLP/gRPC gets the matching gRPC status (429 →
   * RESOURCE_EXHAUSTED, 502/503/504 → UNAVAILABLE, 400 → INVALID_ARGUMENT, 401 → UNAUTHENTICATED, 403 →
   * PERMISSION_DENIED, 404 → UNIMPLEMENTED, else INTERNAL). Rejected requests are counted but not stored.
   */
  public void failNextExports(int count, int httpStatus) {
    if (httpStatus < 400 || httpStatus > 599) {
      throw new IllegalArgumentException("httpStatus must be 4xx or 5xx: " + httpStatus);
    }
    lock.lock();
    try {
      for (int i = 0; i < count; i++) {
        failures.add(httpStatus);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Forgets every stored export, counter and pending failure. */
  public void reset() {
    lock.lock();
    try {
      exports.clear();
      failures.clear();
      requestCounts.values().forEach(m -> m.values().forEach(c -> c.set(0)));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ spans

  /** Every received span, flattened, in arrival order. */
  public List<ReceivedSpan> spans() {
    List<ReceivedSpan> spans = new ArrayList<>();
    for (ReceivedExport export : exports()) {
      if (export.request() instanceof ExportTraceServiceRequest request) {
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
          Map<String, Object> resource = OtlpValues.attributes(resourceSpans.getResource().getAttributesList());
          for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
            InstrumentationScope scope = scopeSpans.getScope();
            for (Span span : scopeSpans.getSpansList()) {
              spans.add(toSpan(span, resource, scope));
            }
          }
        }
      }
    }
    return Collections.unmodifiableList(spans);
  }

  /** The received spans named {@code name}. */
  public List<ReceivedSpan> spans(String name) {
    return spans().stream().filter(s -> s.name().equals(name)).toList();
  }

  /** Waits until at least {@code count} spans were received; returns all received spans. */
  public List<ReceivedSpan> awaitSpans(int count, Duration timeout) {
    return await(
        () -> {
          List<ReceivedSpan> spans = spans();
          return spans.size() >= count ? Optional.of(spans) : Optional.empty();
        },
        timeout,
        () -> "at least " + count + " spans; received " + describeSpans());
  }

  /** Waits for the first span matching {@code predicate}. */
  public ReceivedSpan awaitSpan(Predicate<ReceivedSpan> predicate, Duration timeout) {
    return await(
        () -> spans().stream().filter(predicate).findFirst(),
        timeout,
        () -> "a span matching the predicate; received " + describeSpans());
  }

  /** Waits for the first span named {@code name}. */
  public ReceivedSpan awaitSpan(String name, Duration timeout) {
    return await(
        () -> spans().stream().filter(s -> s.name().equals(name)).findFirst(),
        timeout,
        () -> "a span named '" + name + "'; received " + describeSpans());
  }

  private String describeSpans() {
    return spans().stream().map(ReceivedSpan::name).collect(Collectors.toList()).toString();
  }

  private static ReceivedSpan toSpan(Span span, Map<String, Object> resource, InstrumentationScope scope) {
    List<ReceivedSpan.Event> events = new ArrayList<>();
    for (Span.Event event : span.getEventsList()) {
      events.add(new ReceivedSpan.Event(
          event.getName(), event.getTimeUnixNano(), OtlpValues.attributes(event.getAttributesList())));
    }
    List<ReceivedSpan.Link> links = new ArrayList<>();
    for (Span.Link link : span.getLinksList()) {
      links.add(new ReceivedSpan.Link(
          OtlpValues.hex(link.getTraceId()), OtlpValues.hex(link.getSpanId()),
          OtlpValues.attributes(link.getAttributesList())));
    }
    return new ReceivedSpan(
        span.getName(),
        kind(span.getKindValue()),
        OtlpValues.hex(span.getTraceId()),
        OtlpValues.hex(span.getSpanId()),
        OtlpValues.hex(span.getParentSpanId()),
        span.getTraceState(),
        statusCode(span.getStatus().getCodeValue()),
        span.getStatus().getMessage(),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        OtlpValues.attributes(span.getAttributesList()),
        List.copyOf(events),
        List.copyOf(links),
        resource,
        scope.getName(),
        scope.getVersion());
  }

  private static ReceivedSpan.Kind kind(int value) {
    ReceivedSpan.Kind[] kinds = ReceivedSpan.Kind.values();
    return value >= 0 && value < kinds.length ? kinds[value] : ReceivedSpan.Kind.UNSPECIFIED;
  }

  private static ReceivedSpan.StatusCode statusCode(int value) {
    ReceivedSpan.StatusCode[] codes = ReceivedSpan.StatusCode.values();
    return value >= 0 && value < codes.length ? codes[value] : ReceivedSpan.StatusCode.UNSET;
  }

  // ------------------------------------------------------------------ metrics

  /** Every received metric data point, flattened, in arrival order. */
  public List<MetricPoint> metricPoints() {
    List<MetricPoint> points = new ArrayList<>();
    for (ReceivedExport export : exports()) {
      if (export.request() instanceof ExportMetricsServiceRequest request) {
        for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
          Map<String, Object> resource = OtlpValues.attributes(resourceMetrics.getResource().getAttributesList());
          for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
            String scope = scopeMetrics.getScope().getName();
            for (Metric metric : scopeMetrics.getMetricsList()) {
              addPoints(points, metric, resource, scope);
            }
          }
        }
      }
    }
    return Collections.unmodifiableList(points);
  }

  /**
   * The data points of metric {@code metricName}, across all exports in arrival order (a cumulative exporter
   * re-sends its points on every export: the last matching point is the latest state).
   */
  public List<MetricPoint> metricPoints(String metricName) {
    return metricPoints().stream().filter(p -> p.name().equals(metricName)).toList();
  }

  /** Names of all received metrics, in order of first arrival. */
  public Set<String> metricNames() {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    metricPoints().forEach(p -> names.add(p.name()));
    return Collections.unmodifiableSet(names);
  }

  /** Waits for a point of {@code metricName} matching {@code predicate}; returns the latest such point. */
  public MetricPoint awaitMetric(String metricName, Predicate<MetricPoint> predicate, Duration timeout) {
    return await(
        () -> {
          List<MetricPoint> matching = metricPoints(metricName).stream().filter(predicate).toList();
          return matching.isEmpty() ? Optional.empty() : Optional.of(matching.get(matching.size() - 1));
        },
        timeout,
        () -> "a point of metric '" + metricName + "' matching the predicate; received " + metricPoints(metricName)
            + " (all metrics: " + metricNames() + ")");
  }

  /** Waits for any point of {@code metricName}; returns the latest. */
  public MetricPoint awaitMetric(String metricName, Duration timeout) {
    return awaitMetric(metricName, p -> true, timeout);
  }

  private static void addPoints(
      List<MetricPoint> out, Metric metric, Map<String, Object> resource, String scope) {
    switch (metric.getDataCase()) {
      case GAUGE -> {
        for (NumberDataPoint p : metric.getGauge().getDataPointsList()) {
          out.add(numberPoint(metric, MetricPoint.Type.GAUGE, MetricPoint.Temporality.UNSPECIFIED, false, p,
              resource, scope));
        }
      }
      case SUM -> {
        MetricPoint.Temporality temporality = temporality(metric.getSum().getAggregationTemporality());
        for (NumberDataPoint p : metric.getSum().getDataPointsList()) {
          out.add(numberPoint(metric, MetricPoint.Type.SUM, temporality, metric.getSum().getIsMonotonic(), p,
              resource, scope));
        }
      }
      case HISTOGRAM -> {
        MetricPoint.Temporality temporality = temporality(metric.getHistogram().getAggregationTemporality());
        for (HistogramDataPoint p : metric.getHistogram().getDataPointsList()) {
          out.add(new MetricPoint(
              metric.getName(), metric.getDescription(), metric.getUnit(), MetricPoint.Type.HISTOGRAM, temporality,
              false, OtlpValues.attributes(p.getAttributesList()), resource, scope, p.getStartTimeUnixNano(),
              p.getTimeUnixNano(), null, p.getCount(), p.hasSum() ? p.getSum() : null,
              p.hasMin() ? p.getMin() : null, p.hasMax() ? p.getMax() : null, List.copyOf(p.getBucketCountsList()),
              List.copyOf(p.getExplicitBoundsList()), p));
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        MetricPoint.Temporality temporality =
            temporality(metric.getExponentialHistogram().getAggregationTemporality());
        for (ExponentialHistogramDataPoint p : metric.getExponentialHistogram().getDataPointsList()) {
          out.add(new MetricPoint(
              metric.getName(), metric.getDescription(), metric.getUnit(), MetricPoint.Type.EXPONENTIAL_HISTOGRAM,
              temporality, false, OtlpValues.attributes(p.getAttributesList()), resource, scope,
              p.getStartTimeUnixNano(), p.getTimeUnixNano(), null, p.getCount(), p.hasSum() ? p.getSum() : null,
              p.hasMin() ? p.getMin() : null, p.hasMax() ? p.getMax() : null, List.of(), List.of(), p));
        }
      }
      case SUMMARY -> {
        for (SummaryDataPoint p : metric.getSummary().getDataPointsList()) {
          out.add(new MetricPoint(
              metric.getName(), metric.getDescription(), metric.getUnit(), MetricPoint.Type.SUMMARY,
              MetricPoint.Temporality.UNSPECIFIED, false, OtlpValues.attributes(p.getAttributesList()), resource,
              scope, p.getStartTimeUnixNano(), p.getTimeUnixNano(), null, p.getCount(), p.getSum(), null, null,
              List.of(), List.of(), p));
        }
      }
      default -> {}
    }
  }

  private static MetricPoint numberPoint(
      Metric metric,
      MetricPoint.Type type,
      MetricPoint.Temporality temporality,
      boolean monotonic,
      NumberDataPoint p,
      Map<String, Object> resource,
      String scope) {
    Number value = p.hasAsInt() ? (Number) p.getAsInt() : p.hasAsDouble() ? (Number) p.getAsDouble() : null;
    return new MetricPoint(
        metric.getName(), metric.getDescription(), metric.getUnit(), type, temporality, monotonic,
        OtlpValues.attributes(p.getAttributesList()), resource, scope, p.getStartTimeUnixNano(), p.getTimeUnixNano(),
        value, 0, null, null, null, List.of(), List.of(), p);
  }

  private static MetricPoint.Temporality temporality(AggregationTemporality temporality) {
    return switch (temporality) {
      case AGGREGATION_TEMPORALITY_DELTA -> MetricPoint.Temporality.DELTA;
      case AGGREGATION_TEMPORALITY_CUMULATIVE -> MetricPoint.Temporality.CUMULATIVE;
      default -> MetricPoint.Temporality.UNSPECIFIED;
    };
  }

  // ------------------------------------------------------------------ logs

  /** Every received log record, flattened, in arrival order. */
  public List<ReceivedLogRecord> logRecords() {
    List<ReceivedLogRecord> records = new ArrayList<>();
    for (ReceivedExport export : exports()) {
      if (export.request() instanceof ExportLogsServiceRequest request) {
        for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
          Map<String, Object> resource = OtlpValues.attributes(resourceLogs.getResource().getAttributesList());
          for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
            String scope = scopeLogs.getScope().getName();
            for (LogRecord r : scopeLogs.getLogRecordsList()) {
              records.add(new ReceivedLogRecord(
                  r.getTimeUnixNano(), r.getObservedTimeUnixNano(), r.getSeverityNumberValue(), r.getSeverityText(),
                  OtlpValues.value(r.getBody()), r.getEventName(), OtlpValues.attributes(r.getAttributesList()),
                  resource, scope, OtlpValues.hex(r.getTraceId()), OtlpValues.hex(r.getSpanId())));
            }
          }
        }
      }
    }
    return Collections.unmodifiableList(records);
  }

  /** Waits for the first log record matching {@code predicate}. */
  public ReceivedLogRecord awaitLogRecord(Predicate<ReceivedLogRecord> predicate, Duration timeout) {
    return await(
        () -> logRecords().stream().filter(predicate).findFirst(),
        timeout,
        () -> "a log record matching the predicate; received " + logRecords());
  }

  // ------------------------------------------------------------------ waiting

  private <T> T await(Supplier<Optional<T>> probe, Duration timeout, Supplier<String> expectation) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        Optional<T> result = probe.get();
        if (result.isPresent()) {
          return result.get();
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw new AssertionError("OtlpReceiver timed out after " + timeout + " waiting for " + expectation.get());
        }
        changed.awaitNanos(remaining);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + expectation.get(), e);
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ intake

  /** Counts the request; returns the HTTP status to reject it with, if a failure is pending. */
  private Optional<Integer> admit(Protocol protocol, Signal signal) {
    requestCounts.get(protocol).get(signal).incrementAndGet();
    lock.lock();
    try {
      return Optional.ofNullable(failures.poll());
    } finally {
      lock.unlock();
    }
  }

  private void store(Protocol protocol, Signal signal, Map<String, List<String>> headers, Message request) {
    ReceivedExport export = new ReceivedExport(protocol, signal, headers, request, Instant.now());
    lock.lock();
    try {
      exports.add(export);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ OTLP/HTTP

  private void handleHttp(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Signal signal = switch (path) {
        case "/v1/traces" -> Signal.TRACES;
        case "/v1/metrics" -> Signal.METRICS;
        case "/v1/logs" -> Signal.LOGS;
        default -> null;
      };
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (signal == null) {
        sendPlain(exchange, 404, "unknown OTLP path " + path);
        return;
      }
      if (!"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        sendPlain(exchange, 405, "OTLP/HTTP requires POST");
        return;
      }
      String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type"))
          .orElse("").toLowerCase(Locale.ROOT);
      Protocol protocol;
      if (contentType.startsWith("application/x-protobuf")) {
        protocol = Protocol.HTTP_PROTOBUF;
      } else if (contentType.startsWith("application/json")) {
        protocol = Protocol.HTTP_JSON;
      } else {
        sendPlain(exchange, 415, "unsupported content type '" + contentType + "'");
        return;
      }
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
        body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
      } else if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
        sendPlain(exchange, 415, "unsupported content encoding '" + encoding + "'");
        return;
      }

      Message request;
      try {
        request = parse(signal, protocol, body);
      } catch (IOException e) {
        sendStatus(exchange, protocol, 400, "cannot decode " + protocol + " " + signal + " request: " + e);
        return;
      }
      Optional<Integer> failure = admit(protocol, signal);
      if (failure.isPresent()) {
        sendStatus(exchange, protocol, failure.get(), "rejected by OtlpReceiver.failNextExports");
        return;
      }
      store(protocol, signal, exchange.getRequestHeaders(), request);
      Message response = switch (signal) {
        case TRACES -> ExportTraceServiceResponse.getDefaultInstance();
        case METRICS -> ExportMetricsServiceResponse.getDefaultInstance();
        case LOGS -> ExportLogsServiceResponse.getDefaultInstance();
      };
      if (protocol == Protocol.HTTP_JSON) {
        send(exchange, 200, "application/json", JsonFormat.printer().print(response).getBytes(StandardCharsets.UTF_8));
      } else {
        send(exchange, 200, "application/x-protobuf", response.toByteArray());
      }
    } catch (RuntimeException e) {
      System.err.println("[OtlpReceiver] internal error: " + e);
      e.printStackTrace();
      throw e;
    }
  }

  private static Message parse(Signal signal, Protocol protocol, byte[] body) throws IOException {
    Message.Builder builder = switch (signal) {
      case TRACES -> ExportTraceServiceRequest.newBuilder();
      case METRICS -> ExportMetricsServiceRequest.newBuilder();
      case LOGS -> ExportLogsServiceRequest.newBuilder();
    };
    if (protocol == Protocol.HTTP_PROTOBUF) {
      builder.mergeFrom(body);
    } else {
      JsonNode tree = Json.MAPPER.readTree(body);
      hexIdsToBase64(tree);
      JsonFormat.parser().ignoringUnknownFields().merge(Json.write(tree), builder);
    }
    return builder.build();
  }

  private static final Set<String> ID_FIELDS =
      Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");

  /** OTLP/JSON encodes trace and span ids as hex, where protobuf's JSON mapping expects base64. */
  private static void hexIdsToBase64(JsonNode node) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      Map<String, String> replacements = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        if (ID_FIELDS.contains(field.getKey()) && field.getValue().isTextual()) {
          String hex = field.getValue().asText();
          if (hex.length() % 2 == 0 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            byte[] bytes = new byte[hex.length() / 2];
            for (int i = 0; i < bytes.length; i++) {
              bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
            }
            replacements.put(field.getKey(), Base64.getEncoder().encodeToString(bytes));
          }
        } else {
          hexIdsToBase64(field.getValue());
        }
      }
      replacements.forEach(object::put);
    } else if (node.isArray()) {
      node.forEach(OtlpReceiver::hexIdsToBase64);
    }
  }

  private static void sendStatus(HttpExchange exchange, Protocol protocol, int httpStatus, String message)
      throws IOException {
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(grpcStatus(httpStatus).getCode().value())
        .setMessage(message)
        .build();
    if (protocol == Protocol.HTTP_JSON) {
      send(exchange, httpStatus, "application/json",
          JsonFormat.printer().print(status).getBytes(StandardCharsets.UTF_8));
    } else {
      send(exchange, httpStatus, "application/x-protobuf", status.toByteArray());
    }
  }

  private static void sendPlain(HttpExchange exchange, int status, String message) throws IOException {
    send(exchange, status, "text/plain; charset=utf-8", message.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  // ------------------------------------------------------------------ OTLP/gRPC

  static Status grpcStatus(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> Status.INVALID_ARGUMENT;
      case 401 -> Status.UNAUTHENTICATED;
      case 403 -> Status.PERMISSION_DENIED;
      case 404 -> Status.UNIMPLEMENTED;
      case 429 -> Status.RESOURCE_EXHAUSTED;
      case 502, 503, 504 -> Status.UNAVAILABLE;
      default -> Status.INTERNAL;
    };
  }

  private static final class HeaderCapture implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata metadata, ServerCallHandler<ReqT, RespT> next) {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (String key : metadata.keys()) {
        if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
          Iterable<String> values = metadata.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
          List<String> list = new ArrayList<>();
          if (values != null) {
            values.forEach(list::add);
          }
          headers.put(key, list);
        }
      }
      return Contexts.interceptCall(Context.current().withValue(GRPC_HEADERS, headers), call, metadata, next);
    }
  }

  private <T extends Message> void exportGrpc(
      Signal signal, Message request, StreamObserver<T> observer, T response) {
    Optional<Integer> failure = admit(Protocol.GRPC, signal);
    if (failure.isPresent()) {
      observer.onError(grpcStatus(failure.get())
          .withDescription("rejected by OtlpReceiver.failNextExports (HTTP " + failure.get() + ")")
          .asRuntimeException());
      return;
    }
    Map<String, List<String>> headers = GRPC_HEADERS.get();
    store(Protocol.GRPC, signal, headers == null ? Map.of() : headers, request);
    observer.onNext(response);
    observer.onCompleted();
  }

  private final class TraceService extends TraceServiceGrpc.TraceServiceImplBase {
    @Override
    public void export(
        ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> observer) {
      exportGrpc(Signal.TRACES, request, observer, ExportTraceServiceResponse.getDefaultInstance());
    }
  }

  private final class MetricsService extends MetricsServiceGrpc.MetricsServiceImplBase {
    @Override
    public void export(
        ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> observer) {
      exportGrpc(Signal.METRICS, request, observer, ExportMetricsServiceResponse.getDefaultInstance());
    }
  }

  private final class LogsService extends LogsServiceGrpc.LogsServiceImplBase {
    @Override
    public void export(ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> observer) {
      exportGrpc(Signal.LOGS, request, observer, ExportLogsServiceResponse.getDefaultInstance());
    }
  }

  // ------------------------------------------------------------------ lifecycle

  /** Stops both servers. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    http.stop(0);
    httpExecutor.shutdownNow();
    grpc.shutdownNow();
    try {
      grpc.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "OtlpReceiver[http=" + httpEndpoint() + ", grpc=" + grpcEndpoint() + "]";
  }
}
