package dev.aicost.bootstrap;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the application's own OpenTelemetry says about the current context: its current span (the parent for
 * aicost's spans) and the {@code aicost.*} entries of its W3C Baggage (inbound attribution, subject to the trust
 * rules of {@link AttributionPropagation}). Filled by an {@link AppContextReader}.
 */
public final class AppContext {

  private String traceId;
  private String spanId;
  private byte traceFlags;
  private boolean remote;
  private Map<String, String> baggage = Collections.emptyMap();

  public AppContext() {}

  /** Sets the current span: lower-case hex ids as OpenTelemetry writes them. */
  public void span(String traceId, String spanId, byte traceFlags, boolean remote) {
    this.traceId = traceId;
    this.spanId = spanId;
    this.traceFlags = traceFlags;
    this.remote = remote;
  }

  /** Adds a baggage entry whose key starts with {@code aicost.}; other keys are not aicost's business. */
  public void baggageEntry(String key, String value) {
    if (key == null || value == null || !key.startsWith(AttributionPropagation.BAGGAGE_PREFIX)) {
      return;
    }
    if (baggage.isEmpty()) {
      baggage = new LinkedHashMap<>(8);
    }
    baggage.put(key, value);
  }

  public boolean hasSpan() {
    return traceId != null && spanId != null;
  }

  public boolean isEmpty() {
    return !hasSpan() && baggage.isEmpty();
  }

  public String traceId() {
    return traceId;
  }

  public String spanId() {
    return spanId;
  }

  public byte traceFlags() {
    return traceFlags;
  }

  /** Whether the application's current span came from another process (an extracted parent). */
  public boolean isRemote() {
    return remote;
  }

  /** The {@code aicost.*} baggage entries, full keys; never null. */
  public Map<String, String> baggage() {
    return baggage;
  }
}
