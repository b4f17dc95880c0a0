package dev.aicost.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the module's mock provider servers share: the JDK server on 127.0.0.1, the FIFO queue of scripted replies,
 * the request log, the exchange wrapper that turns failures into aborted connections or a provider-shaped 500, and
 * the standalone runner. A subclass implements {@link #serve} and {@link #sendInternalError}.
 *
 * @param <R> the scripted reply type
 * @param <S> the server type (what {@link #enqueue} returns for chaining)
 */
abstract class MockHttpServer<R, S extends MockHttpServer<R, S>> implements AutoCloseable {

  static {
    JdkHttpServers.configure();
  }

  private final String name;
  private final Supplier<R> defaultReply;
  private final Queue<R> queue = new ConcurrentLinkedQueue<>();
  final RequestLog requests;
  private volatile JdkHttpServers.Started server;
  private volatile String threadName;
  private volatile boolean closed;

  /**
   * @param name the server's name in error messages and logs (e.g. {@code MockOpenAiServer})
   * @param defaultReply the reply served when none is queued
   */
  MockHttpServer(String name, Supplier<R> defaultReply) {
    this.name = name;
    this.defaultReply = defaultReply;
    this.requests = new RequestLog(name);
  }

  /**
   * Starts listening on 127.0.0.1:{@code port} (0: ephemeral), served by daemon threads {@code threadName-N}. The
   * last statement of a subclass constructor, so that no request meets a half-built server.
   */
  final void listen(int port, String threadName) throws IOException {
    this.threadName = threadName;
    this.server = JdkHttpServers.start(port, threadName, this::handle);
  }

  // ------------------------------------------------------------------ public API

  public int port() {
    return server.http().getAddress().getPort();
  }

  /** Queues a reply; queued replies are served FIFO, one per request to a known endpoint. */
  public S enqueue(R reply) {
    queue.add(Objects.requireNonNull(reply, "reply"));
    return self();
  }

  /** Queues several replies, in order. */
  @SafeVarargs
  public final S enqueue(R first, R... more) {
    enqueue(first);
    for (R reply : more) {
      enqueue(reply);
    }
    return self();
  }

  /** How many queued replies have not been served yet. */
  public int queuedReplies() {
    return queue.size();
  }

  /** Every request received so far, in arrival order (a snapshot). */
  public List<RecordedRequest> requests() {
    return requests.all();
  }

  public int requestCount() {
    return requests.size();
  }

  /** The most recent request; fails if none was received. */
  public RecordedRequest lastRequest() {
    return requests.last();
  }

  /** Blocks until at least {@code count} requests were received; returns them all. */
  public List<RecordedRequest> awaitRequests(int count, Duration timeout) {
    return requests.await(list -> list.size() >= count, timeout, "at least " + count + " requests");
  }

  /** Blocks until a request matching {@code predicate} was received; returns the first such. */
  public RecordedRequest awaitRequest(Predicate<RecordedRequest> predicate, Duration timeout) {
    return requests.await(predicate, timeout);
  }

  /** Clears queued replies and recorded requests. */
  public void reset() {
    queue.clear();
    requests.clear();
  }

  /** Stops listening and aborts in-flight replies. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop();
  }

  // ------------------------------------------------------------------ for subclasses

  /** {@code http://127.0.0.1:PORT}. */
  final String rootUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** The next queued reply, else the default one. */
  final R nextReply() {
    R reply = queue.poll();
    return reply != null ? reply : defaultReply.get();
  }

  /** Records a request (with the method upper-cased by the caller) and returns it. */
  final RecordedRequest record(HttpExchange exchange, String method, String path, String body) {
    RecordedRequest request =
        new RecordedRequest(
            method, path, exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body, Instant.now());
    requests.add(request);
    return request;
  }

  /**
   * Answers one exchange. Throw {@link JdkHttpServers.AbortConnection} to drop the connection; an
   * {@link IOException} means the client went away.
   */
  abstract void serve(HttpExchange exchange, long startNanos) throws IOException, InterruptedException;

  /** Sends the provider's error body for an internal error of the mock (status 500); no response was started. */
  abstract void sendInternalError(HttpExchange exchange, String message, long startNanos) throws IOException;

  private void handle(HttpExchange exchange) throws IOException {
    long startNanos = System.nanoTime();
    boolean abort = false;
    try {
      serve(exchange, startNanos);
    } catch (JdkHttpServers.AbortConnection e) {
      abort = true;
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort = true;
      throw new JdkHttpServers.AbortConnection();
    } catch (IOException e) {
      // The client went away (e.g. it timed out or cancelled a stream): nothing left to answer.
      abort = true;
      throw e;
    } catch (RuntimeException | Error e) {
      System.err.println("[" + name + "] internal error serving " + exchange.getRequestURI());
      e.printStackTrace();
      if (exchange.getResponseCode() == -1) {
        sendInternalError(exchange, name + " internal error: " + e, startNanos);
      } else {
        abort = true;
        throw new JdkHttpServers.AbortConnection();
      }
    } finally {
      if (!abort) {
        exchange.close();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private S self() {
    return (S) this;
  }

  // ------------------------------------------------------------------ standalone

  /** How many of its latest requests a standalone server keeps (nothing reads them but a person debugging). */
  static final int STANDALONE_REQUESTS_KEPT = 10_000;

  /**
   * The standalone servers' tail of {@code main}: closes {@code server} when the JVM stops, writes its port to
   * {@code portFile} (if not null), prints {@code url} on stdout and blocks forever.
   */
  static void runUntilStopped(MockHttpServer<?, ?> server, Path portFile, Object url) throws Exception {
    server.requests.keepLast(STANDALONE_REQUESTS_KEPT);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, server.threadName + "-shutdown"));
    if (portFile != null) {
      RequestLog.writePortFile(portFile, server.port());
    }
    System.out.println(url);
    System.out.flush();
    new CountDownLatch(1).await();
  }

  /** The value of the command-line option at {@code args[i - 1]}. */
  static String optionValue(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException("missing value for " + args[i - 1]);
    }
    return args[i];
  }
}
