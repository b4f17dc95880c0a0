package dev.aicost.exporters.spans;

import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.List;
import java.util.Objects;

/**
 * Tracers whose spans go straight to an OpenTelemetry SDK's span processors, for spans that are built and ended in
 * one go on one thread, as aicost's AI call spans are (the recorder builds a call's span when the call has completed,
 * with the call's start and end times).
 *
 * <p>Why: for such a span the SDK's own span keeps a thread-safe attribute map that starts with room for 16
 * attributes and grows for the ~27 of a call span, a clock, and a separate data object for export: ~1 KB of garbage
 * per AI call. A {@link CompletedSpan} holds its attributes in two arrays and is its own export data
 * (docs/performance.md#recording-one-call).
 *
 * <p>Everything else is the SDK's: the same processors (so the same batching and exporters, flushed and shut down by
 * the SDK's tracer provider), the same sampler, span limits and resource; ids from the SDK's random generator. What
 * this does not do: the SDK's experimental per-scope tracer configuration and its own span metrics
 * ({@code otel.sdk.span.*}); span events (which aicost does not add) are kept without the event limit.
 */
public final class CompletedSpanTracerProvider implements TracerProvider {

  /** What every builder of this provider uses. */
  static final class Shared {
    final SpanProcessor processor;
    final Sampler sampler;
    final SpanLimits limits;
    final Resource resource;
    final IdGenerator ids = IdGenerator.random();
    final Clock clock = Clock.getDefault();

    Shared(SpanProcessor processor, Sampler sampler, SpanLimits limits, Resource resource) {
      this.processor = Objects.requireNonNull(processor, "processor");
      this.sampler = Objects.requireNonNull(sampler, "sampler");
      this.limits = Objects.requireNonNull(limits, "limits");
      this.resource = Objects.requireNonNull(resource, "resource");
    }
  }

  private final Shared shared;

  /**
   * @param processors the span processors of {@code sdk}, as they were registered with it (the SDK does not expose
   *     them; an autoconfigured SDK hands them to {@code addSpanProcessorCustomizer})
   * @param resource the resource of {@code sdk}
   */
  public static CompletedSpanTracerProvider of(SdkTracerProvider sdk, List<SpanProcessor> processors, Resource resource) {
    return new CompletedSpanTracerProvider(
        new Shared(SpanProcessor.composite(processors), sdk.getSampler(), sdk.getSpanLimits(), resource));
  }

  private CompletedSpanTracerProvider(Shared shared) {
    this.shared = shared;
  }

  @Override
  public Tracer get(String instrumentationScopeName) {
    return tracerBuilder(instrumentationScopeName).build();
  }

  @Override
  public Tracer get(String instrumentationScopeName, String instrumentationScopeVersion) {
    return tracerBuilder(instrumentationScopeName).setInstrumentationVersion(instrumentationScopeVersion).build();
  }

  @Override
  public TracerBuilder tracerBuilder(String instrumentationScopeName) {
    String scopeName =
        instrumentationScopeName == null || instrumentationScopeName.trim().isEmpty() ? "" : instrumentationScopeName;
    return new TracerBuilder() {
      private String version;
      private String schemaUrl;

      @Override
      public TracerBuilder setSchemaUrl(String url) {
        schemaUrl = url;
        return this;
      }

      @Override
      public TracerBuilder setInstrumentationVersion(String v) {
        version = v;
        return this;
      }

      @Override
      public Tracer build() {
        io.opentelemetry.sdk.common.InstrumentationScopeInfoBuilder scope = InstrumentationScopeInfo.builder(scopeName);
        if (version != null) {
          scope.setVersion(version);
        }
        if (schemaUrl != null) {
          scope.setSchemaUrl(schemaUrl);
        }
        return new CompletedSpanTracer(shared, scope.build());
      }
    };
  }

  private static final class CompletedSpanTracer implements Tracer {
    private final Shared shared;
    private final InstrumentationScopeInfo scope;

    CompletedSpanTracer(Shared shared, InstrumentationScopeInfo scope) {
      this.shared = shared;
      this.scope = scope;
    }

    @Override
    public SpanBuilder spanBuilder(String spanName) {
      return new CompletedSpanBuilder(shared, scope, spanName);
    }
  }
}
