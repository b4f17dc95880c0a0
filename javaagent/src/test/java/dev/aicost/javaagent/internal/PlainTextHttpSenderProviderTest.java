package dev.aicost.javaagent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Plain-text OTLP endpoints get the {@code HttpURLConnection} sender, which must behave as OpenTelemetry's JDK sender
 * does (body, headers, compression, retries, timeouts); TLS endpoints are passed through to the JDK sender.
 */
class PlainTextHttpSenderProviderTest {

  private static final byte[] PAYLOAD = "spans".getBytes(StandardCharsets.UTF_8);

  /** What the collector received: one entry per request. */
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private HttpSender sender;

  private static final class Request {
    final byte[] body;
    final String contentType;
    final String contentEncoding;
    final String header;

    Request(HttpExchange exchange) throws IOException {
      body = exchange.getRequestBody().readAllBytes();
      contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      contentEncoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      header = exchange.getRequestHeaders().getFirst("X-Tenant");
    }
  }

  /** A collector that answers the given statuses in turn (the last one from then on), after {@code delayMillis}. */
  private URI collector(long delayMillis, int... statuses) throws IOException {
    AtomicInteger calls = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/traces", exchange -> {
      requests.add(new Request(exchange));
      int status = statuses[Math.min(calls.getAndIncrement(), statuses.length - 1)];
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = status == 200 ? new byte[0] : ("status " + status).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
  }

  @AfterEach
  void stop() {
    if (sender != null) {
      sender.shutdown().join(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.stop(0);
    }
  }

  private HttpResponse export(Config config) throws Exception {
    sender = new PlainTextHttpSenderProvider().createSender(config);
    CompletableFuture<HttpResponse> response = new CompletableFuture<>();
    sender.send(
        new MessageWriter() {
          @Override
          public void writeMessage(OutputStream out) throws IOException {
            out.write(PAYLOAD);
          }

          @Override
          public int getContentLength() {
            return PAYLOAD.length;
          }
        },
        response::complete,
        response::completeExceptionally);
    return response.get(20, TimeUnit.SECONDS);
  }

  private static RetryPolicy quickRetries(int attempts) {
    return RetryPolicy.builder()
        .setMaxAttempts(attempts)
        .setInitialBackoff(Duration.ofMillis(10))
        .setMaxBackoff(Duration.ofMillis(50))
        .build();
  }

  @Test
  void plainTextEndpointsAreSentOverHttpUrlConnection() throws Exception {
    Config config = new Config(collector(0, 200), null);
    config.headers = Map.of("X-Tenant", List.of("acme"));
    assertEquals(200, export(config).getStatusCode());
    assertInstanceOf(UrlConnectionHttpSender.class, sender);
    assertEquals(1, requests.size());
    assertArrayEquals(PAYLOAD, requests.get(0).body);
    assertEquals("application/x-protobuf", requests.get(0).contentType);
    assertEquals("acme", requests.get(0).header);
    assertEquals(null, requests.get(0).contentEncoding);
  }

  @Test
  void compressedBodiesSayHowTheyAreEncoded() throws Exception {
    Config config = new Config(collector(0, 200), null);
    config.compressor = new Gzip();
    assertEquals(200, export(config).getStatusCode());
    assertEquals("gzip", requests.get(0).contentEncoding);
    assertArrayEquals(PAYLOAD, new GZIPInputStream(new java.io.ByteArrayInputStream(requests.get(0).body)).readAllBytes());
  }

  @Test
  void retryableStatusesAreRetriedAsThePolicySays() throws Exception {
    Config config = new Config(collector(0, 503, 429, 200), null);
    config.retryPolicy = quickRetries(5);
    assertEquals(200, export(config).getStatusCode());
    assertEquals(3, requests.size());
    for (Request r : requests) {
      assertArrayEquals(PAYLOAD, r.body);
    }
  }

  @Test
  void otherStatusesAreReturnedAtOnceWithTheirBody() throws Exception {
    Config config = new Config(collector(0, 400), null);
    config.retryPolicy = quickRetries(5);
    HttpResponse response = export(config);
    assertEquals(400, response.getStatusCode());
    assertEquals("status 400", new String(response.getResponseBody(), StandardCharsets.UTF_8));
    assertEquals(1, requests.size());
  }

  @Test
  void theLastRetryableAnswerIsReturnedWhenAttemptsRunOut() throws Exception {
    Config config = new Config(collector(0, 503), null);
    config.retryPolicy = quickRetries(3);
    assertEquals(503, export(config).getStatusCode());
    assertEquals(3, requests.size());
  }

  @Test
  void anUnreachableCollectorIsAnErrorAfterTheRetries() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: connections are refused
    }
    Config config = new Config(URI.create("http://127.0.0.1:" + port + "/v1/traces"), null);
    config.retryPolicy = quickRetries(2);
    ExecutionException e = assertThrows(ExecutionException.class, () -> export(config));
    assertInstanceOf(java.net.ConnectException.class, e.getCause());
  }

  @Test
  void aCollectorSlowerThanTheTimeoutIsAnError() throws Exception {
    Config config = new Config(collector(3_000, 200), null);
    config.timeout = Duration.ofMillis(300);
    ExecutionException e = assertThrows(ExecutionException.class, () -> export(config));
    assertInstanceOf(SocketTimeoutException.class, e.getCause());
  }

  @Test
  void tlsEndpointsAndConfiguredContextsGetTheJdkSender() throws Exception {
    SSLContext own = SSLContext.getInstance("TLS");
    own.init(null, null, null);
    HttpSender https =
        new PlainTextHttpSenderProvider().createSender(new Config(URI.create("https://collector.example:4318/v1/traces"), null));
    HttpSender configured =
        new PlainTextHttpSenderProvider().createSender(new Config(URI.create("http://127.0.0.1:4318/v1/traces"), own));
    try {
      assertTrue(https.getClass().getName().endsWith("JdkHttpSender"), https.getClass().getName());
      assertTrue(configured.getClass().getName().endsWith("JdkHttpSender"), configured.getClass().getName());
    } finally {
      https.shutdown().join(5, TimeUnit.SECONDS);
      configured.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  private static final class Gzip implements Compressor {
    @Override
    public String getEncoding() {
      return "gzip";
    }

    @Override
    public OutputStream compress(OutputStream out) throws IOException {
      return new GZIPOutputStream(out);
    }
  }

  private static final class Config implements HttpSenderConfig {
    private final URI endpoint;
    private final SSLContext sslContext;
    Compressor compressor;
    RetryPolicy retryPolicy;
    Duration timeout = Duration.ofSeconds(5);
    Map<String, List<String>> headers = Collections.emptyMap();

    Config(URI endpoint, SSLContext sslContext) {
      this.endpoint = endpoint;
      this.sslContext = sslContext;
    }

    @Override
    public URI getEndpoint() {
      return endpoint;
    }

    @Override
    public String getContentType() {
      return "application/x-protobuf";
    }

    @Override
    public Compressor getCompressor() {
      return compressor;
    }

    @Override
    public Duration getTimeout() {
      return timeout;
    }

    @Override
    public Duration getConnectTimeout() {
      return Duration.ofSeconds(5);
    }

    @Override
    public Supplier<Map<String, List<String>>> getHeadersSupplier() {
      return () -> headers;
    }

    @Override
    public ProxyOptions getProxyOptions() {
      return null;
    }

    @Override
    public RetryPolicy getRetryPolicy() {
      return retryPolicy;
    }

    @Override
    public SSLContext getSslContext() {
      return sslContext;
    }

    @Override
    public X509TrustManager getTrustManager() {
      return null;
    }

    @Override
    public ExecutorService getExecutorService() {
      return null;
    }
  }
}
