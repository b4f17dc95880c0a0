package dev.aicost.javaagent.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;

/**
 * OTLP over plain-text HTTP/1.1 with the JDK's {@link HttpURLConnection}: the same requests, timeouts, compression and
 * retries as OpenTelemetry's JDK {@code HttpClient} sender, without its cost at start-up. A JDK {@code HttpClient}
 * brings ~280 classes, ~130 lambdas and a selector thread per exporter, all spun up at the application's start (and
 * its first export at exit); that was a visible part of the agent's start-up (docs/performance.md#start-up).
 * {@code HttpURLConnection} is a few dozen classes, most of them shared with anything else in the JVM that opens a URL.
 * Used for {@code http://} endpoints only; TLS endpoints keep the JDK client.
 */
final class UrlConnectionHttpSender implements HttpSender {

  /** The statuses that OTLP/HTTP says to retry (as OpenTelemetry's senders do). */
  private static boolean retryable(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }

  private final URL url;
  private final HttpSenderConfig config;
  private final Proxy proxy;
  private final RetryPolicy retryPolicy;
  private final Predicate<IOException> retryException;
  private final ExecutorService executor;
  private final boolean ownExecutor;

  UrlConnectionHttpSender(HttpSenderConfig config) {
    try {
      this.url = config.getEndpoint().toURL();
    } catch (java.net.MalformedURLException e) {
      throw new IllegalArgumentException("invalid OTLP endpoint " + config.getEndpoint(), e);
    }
    this.config = config;
    this.proxy = proxyFor(config.getProxyOptions(), config.getEndpoint());
    this.retryPolicy = config.getRetryPolicy();
    Predicate<IOException> p = retryPolicy == null ? null : retryPolicy.getRetryExceptionPredicate();
    this.retryException = p != null ? p : e -> !(e instanceof SSLException);
    if (config.getExecutorService() != null) {
      this.executor = config.getExecutorService();
      this.ownExecutor = false;
    } else {
      // One thread, started on the first export and gone after a minute idle: exporters send one batch at a time.
      ThreadPoolExecutor own =
          new ThreadPoolExecutor(
              1,
              1,
              60,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, "aicost-otlp-http");
                t.setDaemon(true);
                return t;
              });
      own.allowCoreThreadTimeOut(true);
      this.executor = own;
      this.ownExecutor = true;
    }
  }

  private static Proxy proxyFor(ProxyOptions options, URI endpoint) {
    if (options == null) {
      return null; // the JVM's default proxy selector, as the JDK client uses
    }
    List<Proxy> proxies = options.getProxySelector().select(endpoint);
    return proxies.isEmpty() ? Proxy.NO_PROXY : proxies.get(0);
  }

  @Override
  public void send(MessageWriter writer, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
    try {
      executor.execute(
          () -> {
            HttpResponse response;
            try {
              response = sendNow(writer);
            } catch (Throwable t) {
              onError.accept(t);
              return;
            }
            onResponse.accept(response);
          });
    } catch (Throwable rejected) { // shut down
      onError.accept(rejected);
    }
  }

  /** Writes the message, then posts it, retrying as the retry policy says. */
  HttpResponse sendNow(MessageWriter writer) throws IOException {
    long start = System.nanoTime();
    long timeoutNanos = config.getTimeout().toNanos();
    ByteArrayOutputStream body = new ByteArrayOutputStream(Math.max(32, writer.getContentLength()));
    Compressor compressor = config.getCompressor();
    if (compressor != null) {
      try (OutputStream compressed = compressor.compress(body)) {
        writer.writeMessage(compressed);
      }
    } else {
      writer.writeMessage(body);
    }
    byte[] bytes = body.toByteArray();
    int maxAttempts = retryPolicy == null ? 1 : retryPolicy.getMaxAttempts();
    long nextBackoff = retryPolicy == null ? 0 : retryPolicy.getInitialBackoff().toNanos();
    for (int attempt = 1; ; attempt++) {
      long remaining = timeoutNanos - (System.nanoTime() - start);
      try {
        HttpResponse response = post(bytes, compressor, remaining);
        if (!retryable(response.getStatusCode()) || attempt >= maxAttempts) {
          return response;
        }
      } catch (IOException e) {
        if (!retryException.test(e) || attempt >= maxAttempts) {
          throw e;
        }
      }
      long backoff = Math.min(nextBackoff, retryPolicy.getMaxBackoff().toNanos());
      nextBackoff = (long) (backoff * retryPolicy.getBackoffMultiplier());
      long sleep = (long) (ThreadLocalRandom.current().nextDouble(0.8d, 1.2d) * backoff);
      if (System.nanoTime() - start + sleep >= timeoutNanos) {
        throw new IOException("OTLP export to " + url + " timed out after " + attempt + " attempts");
      }
      try {
        TimeUnit.NANOSECONDS.sleep(sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while retrying an OTLP export", e);
      }
    }
  }

  private HttpResponse post(byte[] body, Compressor compressor, long remainingNanos) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) (proxy == null ? url.openConnection() : url.openConnection(proxy));
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setUseCaches(false);
    connection.setInstanceFollowRedirects(false);
    connection.setConnectTimeout(millis(config.getConnectTimeout().toNanos()));
    connection.setReadTimeout(millis(Math.max(remainingNanos, 1_000_000L)));
    Map<String, List<String>> headers = config.getHeadersSupplier().get();
    if (headers != null) {
      for (Map.Entry<String, List<String>> h : headers.entrySet()) {
        for (String value : h.getValue()) {
          connection.addRequestProperty(h.getKey(), value);
        }
      }
    }
    connection.setRequestProperty("Content-Type", config.getContentType());
    if (compressor != null) {
      connection.setRequestProperty("Content-Encoding", compressor.getEncoding());
    }
    connection.setFixedLengthStreamingMode(body.length);
    try (OutputStream out = connection.getOutputStream()) {
      out.write(body);
    }
    int status = connection.getResponseCode();
    String message = connection.getResponseMessage();
    byte[] responseBody;
    // Read to the end (so the connection is kept alive for the next export), keeping at most the configured size.
    try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
      responseBody = in == null ? new byte[0] : readBounded(in, config.getMaxResponseBodySize());
    }
    return new Response(status, message != null ? message : String.valueOf(status), responseBody);
  }

  private static byte[] readBounded(InputStream in, long max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    long limit = max > 0 ? max : Long.MAX_VALUE;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      int keep = (int) Math.min(n, Math.max(0, limit - out.size()));
      out.write(buffer, 0, keep);
    }
    return out.toByteArray();
  }

  private static int millis(long nanos) {
    long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
    return ms <= 0 ? 1 : (int) Math.min(ms, Integer.MAX_VALUE); // 0 would mean "no timeout"
  }

  @Override
  public CompletableResultCode shutdown() {
    if (ownExecutor) {
      executor.shutdown();
    }
    return CompletableResultCode.ofSuccess();
  }

  private static final class Response implements HttpResponse {
    private final int status;
    private final String message;
    private final byte[] body;

    Response(int status, String message, byte[] body) {
      this.status = status;
      this.message = message;
      this.body = body;
    }

    @Override
    public int getStatusCode() {
      return status;
    }

    @Override
    public String getStatusMessage() {
      return message;
    }

    @Override
    public byte[] getResponseBody() {
      return body;
    }
  }
}
