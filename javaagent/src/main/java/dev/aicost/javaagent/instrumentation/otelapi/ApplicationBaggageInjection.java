package dev.aicost.javaagent.instrumentation.otelapi;

import dev.aicost.bootstrap.AttributionPropagation;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.api.baggage.BaggageEntry;
import io.opentelemetry.context.Context;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Injected next to the application's {@code io.opentelemetry.api}: the context that the application's
 * {@code W3CBaggagePropagator} injects into an outgoing request, with the current aicost attribution added as
 * {@code aicost.*} entries (and untrusted inbound {@code aicost.*} entries removed). The application's own context is
 * not changed: only what goes on the wire.
 */
public final class ApplicationBaggageInjection {

  private ApplicationBaggageInjection() {}

  /** Returns {@code context} itself when there is nothing to add, or when it is not a {@code Context}. */
  public static Object withAttribution(Object context) {
    try {
      if (!(context instanceof Context)) {
        return context;
      }
      Context ctx = (Context) context;
      Baggage baggage = Baggage.fromContext(ctx);
      Map<String, String> existing = Collections.emptyMap();
      if (!baggage.isEmpty()) {
        for (Map.Entry<String, BaggageEntry> e : baggage.asMap().entrySet()) {
          if (e.getKey().startsWith(AttributionPropagation.BAGGAGE_PREFIX)) {
            if (existing.isEmpty()) {
              existing = new HashMap<>();
            }
            existing.put(e.getKey(), e.getValue().getValue());
          }
        }
      }
      Map<String, String> changes = AttributionPropagation.outbound(existing);
      if (changes.isEmpty()) {
        return context;
      }
      BaggageBuilder b = baggage.toBuilder();
      for (Map.Entry<String, String> e : changes.entrySet()) {
        if (e.getValue() == null) {
          b.remove(e.getKey());
        } else {
          b.put(e.getKey(), e.getValue());
        }
      }
      return ctx.with(b.build());
    } catch (Throwable t) {
      return context;
    }
  }
}
