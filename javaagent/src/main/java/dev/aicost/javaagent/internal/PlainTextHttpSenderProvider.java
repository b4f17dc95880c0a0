package dev.aicost.javaagent.internal;

import io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.net.URI;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The agent's only OTLP/HTTP sender: the OpenTelemetry JDK {@code HttpClient} sender, except that an {@code http://}
 * endpoint gets an SSL context that is never initialized.
 *
 * <p>Why: a JDK {@code HttpClient} built without an SSL context takes {@code SSLContext.getDefault()}, which loads
 * the JSSE provider and parses the JDK's whole trust store (~450 classes, ~0.2 s of CPU on a small VM) even when
 * every request is plain-text OTLP to a local collector; that was part of the agent's start-up
 * (docs/performance.md#start-up). An {@code https://} endpoint, or one with certificates configured, is passed
 * through unchanged. Should a plain-text client ever need TLS after all (it does not: the exporters do not follow
 * redirects), the context initializes the JDK default then.
 */
public final class PlainTextHttpSenderProvider implements HttpSenderProvider {

  private final JdkHttpSenderProvider jdk = new JdkHttpSenderProvider();

  @Override
  public HttpSender createSender(HttpSenderConfig config) {
    URI endpoint = config.getEndpoint();
    if (config.getSslContext() == null && endpoint != null && "http".equalsIgnoreCase(endpoint.getScheme())) {
      return jdk.createSender(new PlainText(config));
    }
    return jdk.createSender(config);
  }

  /** The caller's configuration with the uninitialized SSL context. */
  private static final class PlainText implements HttpSenderConfig {
    private final HttpSenderConfig config;
    private final SSLContext untouched = new UntouchedSslContext();

    PlainText(HttpSenderConfig config) {
      this.config = config;
    }

    @Override
    public SSLContext getSslContext() {
      return untouched;
    }

    @Override
    public URI getEndpoint() {
      return config.getEndpoint();
    }

    @Override
    public String getContentType() {
      return config.getContentType();
    }

    @Override
    public Compressor getCompressor() {
      return config.getCompressor();
    }

    @Override
    public Duration getTimeout() {
      return config.getTimeout();
    }

    @Override
    public Duration getConnectTimeout() {
      return config.getConnectTimeout();
    }

    @Override
    public Supplier<Map<String, List<String>>> getHeadersSupplier() {
      return config.getHeadersSupplier();
    }

    @Override
    public ProxyOptions getProxyOptions() {
      return config.getProxyOptions();
    }

    @Override
    public RetryPolicy getRetryPolicy() {
      return config.getRetryPolicy();
    }

    @Override
    public X509TrustManager getTrustManager() {
      return config.getTrustManager();
    }

    @Override
    public ExecutorService getExecutorService() {
      return config.getExecutorService();
    }

    @Override
    public long getMaxResponseBodySize() {
      return config.getMaxResponseBodySize();
    }

    @Override
    public List<String> getEnabledProtocols() {
      return config.getEnabledProtocols();
    }
  }

  /**
   * An SSL context whose only eager answer is "no particular parameters" (what the JDK client asks for when it is
   * built); anything that would really use TLS goes to the JDK default context, initialized then.
   */
  static final class UntouchedSslContext extends SSLContext {
    private final Spi spi;

    UntouchedSslContext() {
      this(new Spi());
    }

    private UntouchedSslContext(Spi spi) {
      super(spi, null, "Default");
      this.spi = spi;
    }

    /** Whether anything has needed TLS from this context (and so initialized the JDK default). */
    boolean usedTls() {
      return spi.initialized;
    }
  }

  private static final class Spi extends SSLContextSpi {
    private volatile boolean initialized;

    private SSLContext jdkDefault() {
      try {
        initialized = true;
        return SSLContext.getDefault();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("no default TLS context in this JVM", e);
      }
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
      // Nothing to initialize: see the class comment.
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return new SSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return jdkDefault().getSupportedSSLParameters();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return jdkDefault().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return jdkDefault().getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return jdkDefault().createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return jdkDefault().createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return jdkDefault().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return jdkDefault().getClientSessionContext();
    }
  }
}
