package dev.aicost.testing;

import com.google.protobuf.Message;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One accepted OTLP export request, as received: protocol, signal, request headers (gRPC metadata for gRPC) and the
 * decoded {@code Export*ServiceRequest}.
 */
public record ReceivedExport(
    OtlpReceiver.Protocol protocol,
    OtlpReceiver.Signal signal,
    Map<String, List<String>> headers,
    Message request,
    Instant receivedAt) {

  public ReceivedExport {
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    headers = Collections.unmodifiableMap(copy);
  }

  /** The first value of header {@code name} (case-insensitive). */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }
}
