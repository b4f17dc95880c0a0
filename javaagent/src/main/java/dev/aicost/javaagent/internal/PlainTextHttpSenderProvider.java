package dev.aicost.javaagent.internal;

import io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.net.URI;

/**
 * The agent's only OTLP/HTTP sender provider: {@code http://} endpoints get {@link UrlConnectionHttpSender}; TLS
 * endpoints, and any configuration with its own SSL context, get OpenTelemetry's JDK {@code HttpClient} sender.
 *
 * <p>Why: most agents export to a local collector in plain text, and the JDK {@code HttpClient} costs ~280 classes,
 * ~130 lambdas and a selector thread per exporter at start-up, plus, built without an SSL context, the JDK's default
 * TLS context (the JSSE provider and the whole trust store, ~450 classes) even for {@code http://}
 * (docs/performance.md#start-up).
 */
public final class PlainTextHttpSenderProvider implements HttpSenderProvider {

  private final JdkHttpSenderProvider jdk = new JdkHttpSenderProvider();

  @Override
  public HttpSender createSender(HttpSenderConfig config) {
    URI endpoint = config.getEndpoint();
    if (config.getSslContext() == null && endpoint != null && "http".equalsIgnoreCase(endpoint.getScheme())) {
      return new UrlConnectionHttpSender(config);
    }
    return jdk.createSender(config);
  }
}
