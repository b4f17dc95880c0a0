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

/** The requests a mock server received, in arrival order, with blocking waits; thread-safe. */
final class RequestLog {

  private final String owner;
  private final Object lock = new Object();
  private final List<RecordedRequest> requests = new ArrayList<>();
  /** Most requests kept; older ones are forgotten (a standalone server runs for as long as it is used). */
  private int keep = Integer.MAX_VALUE;

  RequestLog(String owner) {
    this.owner = owner;
  }

  void keepLast(int count) {
    synchronized (lock) {
      keep = count;
    }
  }

  void add(RecordedRequest request) {
    synchronized (lock) {
      requests.add(request);
      if (requests.size() - keep >= keep) { // drop in halves: amortized constant time per request
        requests.subList(0, requests.size() - keep).clear();
      }
      lock.notifyAll();
    }
  }

  List<RecordedRequest> all() {
    synchronized (lock) {
      return List.copyOf(requests);
    }
  }

  List<RecordedRequest> withPath(String path) {
    return all().stream().filter(r -> r.path().equals(path)).toList();
  }

  int size() {
    synchronized (lock) {
      return requests.size();
    }
  }

  RecordedRequest last() {
    synchronized (lock) {
      if (requests.isEmpty()) {
        throw new AssertionError(owner + " has received no request");
      }
      return requests.get(requests.size() - 1);
    }
  }

  void clear() {
    synchronized (lock) {
      requests.clear();
    }
  }

  /** Blocks until {@code done} holds for the requests received so far; returns them. */
  List<RecordedRequest> await(Predicate<List<RecordedRequest>> done, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!done.test(requests)) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw new AssertionError("Timed out after " + timeout + " waiting for " + what + "; received " + requests);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
      return List.copyOf(requests);
    }
  }

  /** Blocks until a request matching {@code predicate} was received; returns the first such. */
  RecordedRequest await(Predicate<RecordedRequest> predicate, Duration timeout) {
    List<RecordedRequest> all =
        await(list -> list.stream().anyMatch(predicate), timeout, "a request matching the predicate");
    return all.stream().filter(predicate).findFirst().orElseThrow();
  }

  /** Writes a standalone server's port to {@code portFile}, atomically (readers never see a partial file). */
  static void writePortFile(Path portFile, int port) throws IOException {
    Path absolute = portFile.toAbsolutePath();
    Path tmp = Files.createTempFile(absolute.getParent(), ".port", ".tmp");
    Files.writeString(tmp, Integer.toString(port));
    Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
