package dev.aicost.exporters.spans;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Builds a {@link CompletedSpan} the way the SDK's span builder builds its span: ids, parent, sampler, processors. */
final class CompletedSpanBuilder implements SpanBuilder {

  private final CompletedSpanTracerProvider.Shared shared;
  private final io.opentelemetry.sdk.common.InstrumentationScopeInfo scope;
  private final String name;
  private Context parent;
  private SpanKind kind = SpanKind.INTERNAL;
  private long startEpochNanos;
  /**
   * Becomes the span's: the attributes set here are the ones the sampler sees. A new set after {@link #startSpan()},
   * so that the builder cannot change a started span (as the SDK's).
   */
  private SpanAttributes attributes;
  private List<LinkData> links;
  private int totalLinks;

  CompletedSpanBuilder(
      CompletedSpanTracerProvider.Shared shared, io.opentelemetry.sdk.common.InstrumentationScopeInfo scope, String name) {
    this.shared = shared;
    this.scope = scope;
    this.name = name == null || name.trim().isEmpty() ? "<unspecified span name>" : name;
    this.attributes = newAttributes();
  }

  private SpanAttributes newAttributes() {
    return new SpanAttributes(shared.limits.getMaxNumberOfAttributes(), shared.limits.getMaxAttributeValueLength());
  }

  @Override
  public SpanBuilder setParent(Context context) {
    if (context != null) {
      parent = context;
    }
    return this;
  }

  @Override
  public SpanBuilder setNoParent() {
    parent = Context.root();
    return this;
  }

  @Override
  public SpanBuilder addLink(SpanContext spanContext) {
    return addLink(spanContext, Attributes.empty());
  }

  @Override
  public SpanBuilder addLink(SpanContext spanContext, Attributes linkAttributes) {
    LinkData link = link(spanContext, linkAttributes, shared.limits);
    if (link == null) {
      return this;
    }
    totalLinks++;
    if (links == null) {
      links = new ArrayList<>(2);
    }
    if (links.size() < shared.limits.getMaxNumberOfLinks()) {
      links.add(link);
    }
    return this;
  }

  /** A link as the SDK keeps it (its attributes limited), or null for one the SDK ignores. */
  static LinkData link(SpanContext spanContext, Attributes linkAttributes, SpanLimits limits) {
    Attributes a = linkAttributes == null ? Attributes.empty() : linkAttributes;
    if (spanContext == null || (!spanContext.isValid() && a.isEmpty() && spanContext.getTraceState().isEmpty())) {
      return null;
    }
    Attributes limited =
        CompletedSpan.limited(a, limits.getMaxNumberOfAttributesPerLink(), limits.getMaxAttributeValueLength());
    return LinkData.create(spanContext, limited, a.size());
  }

  @Override
  public <T> SpanBuilder setAttribute(AttributeKey<T> key, T value) {
    if (attributes == null) {
      attributes = newAttributes();
    }
    attributes.put(key, value);
    return this;
  }

  @Override
  public SpanBuilder setAttribute(String key, String value) {
    return setAttribute(AttributeKey.stringKey(key), value);
  }

  @Override
  public SpanBuilder setAttribute(String key, long value) {
    return setAttribute(AttributeKey.longKey(key), value);
  }

  @Override
  public SpanBuilder setAttribute(String key, double value) {
    return setAttribute(AttributeKey.doubleKey(key), value);
  }

  @Override
  public SpanBuilder setAttribute(String key, boolean value) {
    return setAttribute(AttributeKey.booleanKey(key), value);
  }

  @Override
  public SpanBuilder setSpanKind(SpanKind spanKind) {
    if (spanKind != null) {
      kind = spanKind;
    }
    return this;
  }

  @Override
  public SpanBuilder setStartTimestamp(long startTimestamp, TimeUnit unit) {
    if (startTimestamp >= 0 && unit != null) {
      startEpochNanos = unit.toNanos(startTimestamp);
    }
    return this;
  }

  @Override
  public Span startSpan() {
    SpanAttributes spanAttributes = attributes != null ? attributes : newAttributes();
    attributes = null;
    Context parentContext = parent == null ? Context.current() : parent;
    SpanContext parentSpan = Span.fromContext(parentContext).getSpanContext();
    boolean root = !parentSpan.isValid();
    String traceId = root ? shared.ids.generateTraceId() : parentSpan.getTraceId();
    String spanId = shared.ids.generateSpanId();
    List<LinkData> spanLinks = links == null ? Collections.<LinkData>emptyList() : Collections.unmodifiableList(links);

    SamplingResult sampling = shared.sampler.shouldSample(parentContext, traceId, name, kind, spanAttributes, spanLinks);
    SamplingDecision decision = sampling.getDecision();
    TraceState traceState = sampling.getUpdatedTraceState(parentSpan.getTraceState());
    boolean randomTraceId = root ? shared.ids.generatesRandomTraceIds() : parentSpan.getTraceFlags().isTraceIdRandom();
    TraceFlags flags =
        TraceFlags.builder()
            .setSampled(decision == SamplingDecision.RECORD_AND_SAMPLE)
            .setRandomTraceId(randomTraceId)
            .build();
    SpanContext context = SpanContext.create(traceId, spanId, flags, traceState);
    if (decision == SamplingDecision.DROP) {
      return Span.wrap(context);
    }
    Attributes fromSampler = sampling.getAttributes();
    if (!fromSampler.isEmpty()) {
      putAll(spanAttributes, fromSampler);
    }

    long start = startEpochNanos != 0 ? startEpochNanos : shared.clock.now();
    CompletedSpan span =
        new CompletedSpan(
            context,
            parentSpan,
            name,
            kind,
            start,
            spanAttributes,
            spanLinks,
            totalLinks,
            shared.processor,
            shared.resource,
            scope,
            shared.clock,
            shared.limits);
    if (shared.processor.isStartRequired()) {
      shared.processor.onStart(parentContext, span);
    }
    return span;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void putAll(SpanAttributes to, Attributes from) {
    from.forEach((key, value) -> to.put((AttributeKey) key, value));
  }
}
