package dev.aicost.testing;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Settings and plumbing shared by the module's {@code com.sun.net.httpserver} servers. */
final class JdkHttpServers {
  private JdkHttpServers() {}

  /**
   * Streamed chunks must leave at once instead of waiting for Nagle's algorithm and the peer's delayed ACK (up to
   * 40 ms per chunk). The JDK server reads this property once, when its first instance in the JVM is created, so
   * every server class of this module calls this before creating one. Harmless if the JVM already decided.
   */
  static void configure() {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** A started server on 127.0.0.1 and the pool of daemon threads serving it. */
  record Started(HttpServer http, ExecutorService executor) {
    /** Stops listening and aborts in-flight replies. */
    void stop() {
      http.stop(0);
      executor.shutdownNow();
    }
  }

  /** Starts {@code handler} on 127.0.0.1:{@code port} (0: ephemeral), served by daemon threads {@code name-N}. */
  static Started start(int port, String threadName, HttpHandler handler) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, threadName + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    http.setExecutor(executor);
    http.createContext("/", handler);
    http.start();
    return new Started(http, executor);
  }

  /** {@code port} if it is a valid TCP port or 0 (ephemeral); else an {@link IllegalArgumentException}. */
  static int checkPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    return port;
  }

  static void sleep(Duration duration) throws InterruptedException {
    if (!duration.isZero()) {
      Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
    }
  }

  /** Thrown out of a handler so that the JDK server closes the connection without completing the response. */
  static final class AbortConnection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AbortConnection() {
      super("connection aborted on purpose", null, false, false);
    }
  }
}
