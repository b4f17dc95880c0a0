package dev.aicost.javaagent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** Plain-text OTLP endpoints get a sender that works and never initializes TLS; others are passed through. */
class PlainTextHttpSenderProviderTest {

  @Test
  void plainTextEndpointExportsWithoutInitializingTls() throws Exception {
    AtomicReference<byte[]> received = new AtomicReference<>();
    AtomicReference<String> contentType = new AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/traces", exchange -> {
      received.set(exchange.getRequestBody().readAllBytes());
      contentType.set(exchange.getRequestHeaders().getFirst("Content-Type"));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    HttpSender sender = null;
    try {
      URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
      sender = new PlainTextHttpSenderProvider().createSender(new Config(endpoint, null));
      byte[] payload = "spans".getBytes(StandardCharsets.UTF_8);
      CompletableFuture<HttpResponse> response = new CompletableFuture<>();
      sender.send(
          new MessageWriter() {
            @Override
            public void writeMessage(OutputStream out) throws java.io.IOException {
              out.write(payload);
            }

            @Override
            public int getContentLength() {
              return payload.length;
            }
          },
          response::complete,
          response::completeExceptionally);
      assertEquals(200, response.get(10, TimeUnit.SECONDS).getStatusCode());
      assertArrayEquals(payload, received.get());
      assertEquals("application/x-protobuf", contentType.get());

      SSLContext context = clientOf(sender).sslContext();
      assertTrue(context instanceof PlainTextHttpSenderProvider.UntouchedSslContext, context.toString());
      assertFalse(((PlainTextHttpSenderProvider.UntouchedSslContext) context).usedTls());
    } finally {
      if (sender != null) {
        sender.shutdown().join(5, TimeUnit.SECONDS);
      }
      server.stop(0);
    }
  }

  @Test
  void tlsEndpointsAndConfiguredContextsArePassedThrough() throws Exception {
    HttpSender https =
        new PlainTextHttpSenderProvider().createSender(new Config(URI.create("https://collector.example:4318/v1/traces"), null));
    SSLContext own = SSLContext.getInstance("TLS");
    own.init(null, null, null);
    HttpSender configured =
        new PlainTextHttpSenderProvider().createSender(new Config(URI.create("http://127.0.0.1:4318/v1/traces"), own));
    try {
      assertSame(SSLContext.getDefault(), clientOf(https).sslContext());
      assertSame(own, clientOf(configured).sslContext());
    } finally {
      https.shutdown().join(5, TimeUnit.SECONDS);
      configured.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void theUntouchedContextStillServesTlsIfAskedTo() throws Exception {
    PlainTextHttpSenderProvider.UntouchedSslContext context = new PlainTextHttpSenderProvider.UntouchedSslContext();
    assertNull(context.getDefaultSSLParameters().getProtocols()); // "no particular parameters", nothing initialized
    assertFalse(context.usedTls());
    assertNotNull(context.createSSLEngine("collector.example", 443));
    assertTrue(context.usedTls());
  }

  private static HttpClient clientOf(HttpSender sender) throws ReflectiveOperationException {
    Field f = sender.getClass().getDeclaredField("client");
    f.setAccessible(true);
    return (HttpClient) f.get(sender);
  }

  private static final class Config implements HttpSenderConfig {
    private final URI endpoint;
    private final SSLContext sslContext;

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
      return null;
    }

    @Override
    public Duration getTimeout() {
      return Duration.ofSeconds(5);
    }

    @Override
    public Duration getConnectTimeout() {
      return Duration.ofSeconds(5);
    }

    @Override
    public Supplier<Map<String, List<String>>> getHeadersSupplier() {
      return Collections::emptyMap;
    }

    @Override
    public ProxyOptions getProxyOptions() {
      return null;
    }

    @Override
    public RetryPolicy getRetryPolicy() {
      return null;
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
