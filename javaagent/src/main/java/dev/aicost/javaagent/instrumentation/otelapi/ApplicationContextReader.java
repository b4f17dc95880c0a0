package dev.aicost.javaagent.instrumentation.otelapi;

import dev.aicost.bootstrap.AppContext;
import dev.aicost.bootstrap.AppContextReader;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageEntry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.Map;

/**
 * Injected next to the application's {@code io.opentelemetry.api} (mapped back from the agent's relocated copy):
 * reads the application's current span and {@code aicost.*} baggage. Whatever made the span current (the
 * OpenTelemetry Java agent, an application-managed SDK, a manually extracted remote parent) is seen here.
 */
public final class ApplicationContextReader implements AppContextReader {

  @Override
  public void read(AppContext into) {
    try {
      Context context = Context.current();
      SpanContext span = Span.fromContext(context).getSpanContext();
      if (span.isValid()) {
        into.span(span.getTraceId(), span.getSpanId(), span.getTraceFlags().asByte(), span.isRemote());
      }
      Baggage baggage = Baggage.fromContext(context);
      if (!baggage.isEmpty()) {
        for (Map.Entry<String, BaggageEntry> e : baggage.asMap().entrySet()) {
          into.baggageEntry(e.getKey(), e.getValue().getValue());
        }
      }
    } catch (Throwable ignored) {
      // an unexpected API state: read nothing
    }
  }
}
