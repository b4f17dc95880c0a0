package dev.aicost.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A span as an {@link OtlpReceiver} received it: an immutable, flattened view of one OTLP {@code Span} with its
 * resource and instrumentation scope.
 *
 * <p>Attribute values are typed: {@code String}, {@code Long}, {@code Double}, {@code Boolean},
 * {@code List<Object>} (arrays), {@code Map<String,Object>} (kvlists), {@code byte[]}; ids are lower-case hex,
 * {@code parentSpanId} is {@code ""} for a root span.
 */
public record ReceivedSpan(
    String name,
    Kind kind,
    String traceId,
    String spanId,
    String parentSpanId,
    String traceState,
    StatusCode statusCode,
    String statusMessage,
    long startEpochNanos,
    long endEpochNanos,
    Map<String, Object> attributes,
    List<Event> events,
    List<Link> links,
    Map<String, Object> resourceAttributes,
    String scopeName,
    String scopeVersion) {

  /** OTLP {@code SpanKind}. */
  public enum Kind {
    UNSPECIFIED,
    INTERNAL,
    SERVER,
    CLIENT,
    PRODUCER,
    CONSUMER
  }

  /** OTLP {@code Status.StatusCode}. */
  public enum StatusCode {
    UNSET,
    OK,
    ERROR
  }

  /** A span event. */
  public record Event(String name, long epochNanos, Map<String, Object> attributes) {}

  /** A span link. */
  public record Link(String traceId, String spanId, Map<String, Object> attributes) {}

  public Duration duration() {
    return Duration.ofNanos(endEpochNanos - startEpochNanos);
  }

  public boolean isRoot() {
    return parentSpanId.isEmpty();
  }

  /** The attribute's value, or null. */
  public Object attribute(String key) {
    return attributes.get(key);
  }

  public Optional<String> stringAttribute(String key) {
    return typed(key, String.class);
  }

  public Optional<Long> longAttribute(String key) {
    return typed(key, Long.class);
  }

  public Optional<Double> doubleAttribute(String key) {
    return typed(key, Double.class);
  }

  public Optional<Boolean> booleanAttribute(String key) {
    return typed(key, Boolean.class);
  }

  /** The first event named {@code name}. */
  public Optional<Event> event(String name) {
    return events.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  private <T> Optional<T> typed(String key, Class<T> type) {
    Object value = attributes.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!type.isInstance(value)) {
      throw new AssertionError(
          "attribute " + key + " of span " + name + " is a " + value.getClass().getSimpleName() + " (" + value
              + "), not a " + type.getSimpleName());
    }
    return Optional.of(type.cast(value));
  }

  @Override
  public String toString() {
    return "ReceivedSpan{" + name + " " + kind + " " + traceId + "/" + spanId + (isRoot() ? "" : " <- " + parentSpanId)
        + " " + statusCode + " " + attributes + "}";
  }
}
