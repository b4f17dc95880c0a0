package dev.aicost.testing;

import java.util.Map;

/**
 * A log record as an {@link OtlpReceiver} received it, flattened with its resource and scope. {@code body} is typed
 * like attribute values (usually a {@code String}); ids are hex, {@code ""} when absent.
 */
public record ReceivedLogRecord(
    long epochNanos,
    long observedEpochNanos,
    int severityNumber,
    String severityText,
    Object body,
    String eventName,
    Map<String, Object> attributes,
    Map<String, Object> resourceAttributes,
    String scopeName,
    String traceId,
    String spanId) {

  /** The body as a string ({@code String.valueOf}). */
  public String bodyAsString() {
    return String.valueOf(body);
  }

  /** The attribute's value, or null. */
  public Object attribute(String key) {
    return attributes.get(key);
  }
}
