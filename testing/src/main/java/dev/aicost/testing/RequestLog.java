package dev.aicost.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The requests a mock server received, in arrival order, with blocking waits; shared by the mock servers. */
final class RequestLog {

  private final String server;
  private final List<RecordedRequest> requests = new ArrayList<>();

  RequestLog(String server) {
    this.server = server;
  }

  synchronized void add(RecordedRequest request) {
    requests.add(request);
    notifyAll();
  }

  synchronized List<RecordedRequest> all() {
    return List.copyOf(requests);
  }

  synchronized int size() {
    return requests.size();
  }

  synchronized RecordedRequest last() {
    if (requests.isEmpty()) {
      throw new AssertionError(server + " has received no request");
    }
    return requests.get(requests.size() - 1);
  }

  synchronized void clear() {
    requests.clear();
  }

  /** Blocks until {@code done} holds for the requests received; returns them all. */
  synchronized List<RecordedRequest> await(Predicate<List<RecordedRequest>> done, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(requests)) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw new AssertionError("Timed out after " + timeout + " waiting for " + what + "; received " + requests);
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, remaining);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    return List.copyOf(requests);
  }

  /** Writes a standalone server's port to {@code portFile}, atomically (readers never see a partial file). */
  static void writePortFile(Path portFile, int port) throws IOException {
    Path absolute = portFile.toAbsolutePath();
    Path tmp = Files.createTempFile(absolute.getParent(), ".port", ".tmp");
    Files.writeString(tmp, Integer.toString(port));
    Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
