package dev.aicost.javaagent.instrumentation.common;

import dev.aicost.bootstrap.AiCallStart;
import java.lang.ref.WeakReference;
import java.net.URI;

/**
 * What a client's configuration says about every call made with it: the provider that bills it, the region and the
 * server. Deriving it parses the base URL and may reflect on the client, a few microseconds on the calling thread,
 * so an instrumentation derives it once per configuration object (clients are immutable and long-lived) and keeps
 * the last one in a {@code volatile} field:
 *
 * <pre>{@code
 * ClientEndpoint e = last;
 * if (e == null || !e.isFor(clientOptions)) {
 *   last = e = ClientEndpoint.of(clientOptions, provider(clientOptions), null, baseUrl);
 * }
 * }</pre>
 *
 * The configuration object is held weakly: a cached endpoint never keeps a closed client reachable.
 */
public final class ClientEndpoint {

  private final WeakReference<Object> client;
  private final String provider;
  private final String region;
  private final String host;
  private final int port;

  private ClientEndpoint(Object client, String provider, String region, String host, int port) {
    this.client = new WeakReference<>(client);
    this.provider = provider;
    this.region = region;
    this.host = host;
    this.port = port;
  }

  /**
   * @param client the configuration object the rest was derived from (compared by identity)
   * @param region null when the provider has none for this client
   * @param baseUrl the URL calls go to; null, or one without a host, gives no server attributes
   */
  public static ClientEndpoint of(Object client, String provider, String region, String baseUrl) {
    String host = null;
    int port = -1;
    try {
      if (baseUrl != null) {
        URI uri = URI.create(baseUrl);
        host = uri.getHost();
        port = uri.getPort();
        if (port < 0) {
          port = "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
        }
      }
    } catch (RuntimeException e) {
      host = null; // no server attributes rather than no span
    }
    return new ClientEndpoint(client, provider, region, host, port);
  }

  /** The host of {@code url}, or null when it has none or is not a URI. */
  public static String host(String url) {
    try {
      return url == null ? null : URI.create(url).getHost();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Whether this was derived from exactly {@code client}. */
  public boolean isFor(Object client) {
    return client != null && this.client.get() == client;
  }

  /** A new call's start: provider, operation, and the region and server where known. */
  public AiCallStart start(String operation) {
    AiCallStart start = AiCallStart.of(provider, operation);
    if (region != null) {
      start.region(region);
    }
    if (host != null) {
      start.server(host, port);
    }
    return start;
  }
}
