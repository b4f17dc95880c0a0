package dev.aicost.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OTLP/HTTP endpoint that reads each export request and answers 200 with an empty (valid) protobuf response:
 * the agent's exporters do all their work (serialization, HTTP over loopback) and nothing is kept. A benchmark
 * with an OTLP receiver that decodes and stores would measure the receiver.
 */
public final class OtlpNullSink implements AutoCloseable {

  static {
    // As the mock servers do: the JDK server reads this once, and without it small responses wait for Nagle and
    // delayed ACKs (40 ms per exchange on Linux). Started first, this sink would otherwise set it for every JDK
    // server of the JVM, the mock OpenAI server included.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  private OtlpNullSink(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    server.createContext(
        "/",
        exchange -> {
          long n = 0;
          try (InputStream in = exchange.getRequestBody()) {
            byte[] buf = new byte[16384];
            int r;
            while ((r = in.read(buf)) > 0) {
              n += r;
            }
          }
          requests.incrementAndGet();
          bytes.addAndGet(n);
          exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "otlp-null-sink");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  /** Listens on {@code port} of the loopback interface (0: any free port). */
  public static OtlpNullSink start(int port) {
    try {
      return new OtlpNullSink(port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
  }

  /** A loopback port that was free a moment ago, for a child JVM that must know it before it starts. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  public long requests() {
    return requests.get();
  }

  public long bytes() {
    return bytes.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /**
   * Runs a sink until the process is killed, for profiling an agent by hand:
   * {@code java -cp benchmarks/target/benchmarks.jar dev.aicost.benchmarks.OtlpNullSink [PORT]}.
   */
  public static void main(String[] args) throws InterruptedException {
    OtlpNullSink sink = start(args.length > 0 ? Integer.parseInt(args[0]) : 4318);
    System.out.println(sink.endpoint());
    Thread.currentThread().join();
  }
}
