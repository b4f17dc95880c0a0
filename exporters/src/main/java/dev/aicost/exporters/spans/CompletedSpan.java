package dev.aicost.exporters.spans;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A recording span that is its own {@link SpanData}: what the span processors get from {@link #toSpanData()} is the
 * span itself, read after it ended. One object per call where the SDK's span takes a span, its attribute map, a clock
 * and a data wrapper.
 *
 * <p>Confined like {@link SpanAttributes}: changed only by the thread that builds and ends it (aicost's recorder, and
 * the span processors' {@code onStart}, which runs on that thread); a change after the end is ignored.
 */
final class CompletedSpan implements ReadWriteSpan, SpanData {

  private final SpanContext context;
  private final SpanContext parent;
  private final SpanKind kind;
  private final long startEpochNanos;
  private final SpanAttributes attributes;
  private List<LinkData> links;
  private int totalLinks;
  private final SpanProcessor processor;
  private final Resource resource;
  private final InstrumentationScopeInfo scope;
  private final Clock clock;
  private final SpanLimits limits;
  private String name;
  private StatusData status = StatusData.unset();
  private List<EventData> events;
  private int totalEvents;
  private long endEpochNanos;
  private volatile boolean ended;

  CompletedSpan(
      SpanContext context,
      SpanContext parent,
      String name,
      SpanKind kind,
      long startEpochNanos,
      SpanAttributes attributes,
      List<LinkData> links,
      int totalLinks,
      SpanProcessor processor,
      Resource resource,
      InstrumentationScopeInfo scope,
      Clock clock,
      SpanLimits limits) {
    this.context = context;
    this.parent = parent;
    this.name = name;
    this.kind = kind;
    this.startEpochNanos = startEpochNanos;
    this.attributes = attributes;
    this.links = links;
    this.totalLinks = totalLinks;
    this.processor = processor;
    this.resource = resource;
    this.scope = scope;
    this.clock = clock;
    this.limits = limits;
  }

  // Span

  @Override
  public <T> ReadWriteSpan setAttribute(AttributeKey<T> key, T value) {
    if (!ended) {
      attributes.put(key, value);
    }
    return this;
  }

  @Override
  public ReadWriteSpan addEvent(String eventName, Attributes eventAttributes) {
    return addEvent(eventName, eventAttributes, clock.now(), TimeUnit.NANOSECONDS);
  }

  @Override
  public ReadWriteSpan addEvent(String eventName, Attributes eventAttributes, long timestamp, TimeUnit unit) {
    if (eventName == null || unit == null || ended) {
      return this;
    }
    int total = eventAttributes == null ? 0 : eventAttributes.size();
    Attributes a =
        limited(eventAttributes, limits.getMaxNumberOfAttributesPerEvent(), limits.getMaxAttributeValueLength());
    addEvent(EventData.create(unit.toNanos(timestamp), eventName, a, total));
    return this;
  }

  /**
   * Attributes of an event or a link, limited as the SDK limits them: the same object when within the limits, else a
   * copy with the first {@code maxCount} and string values cut.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Attributes limited(Attributes attributes, int maxCount, int maxValueLength) {
    Attributes a = attributes == null ? Attributes.empty() : attributes;
    boolean[] over = {a.size() > maxCount};
    if (!over[0] && maxValueLength != Integer.MAX_VALUE) {
      a.forEach((k, v) -> over[0] |= SpanAttributes.isLongerThan(v, maxValueLength));
    }
    if (!over[0]) {
      return a;
    }
    SpanAttributes copy = new SpanAttributes(maxCount, maxValueLength);
    a.forEach((k, v) -> copy.put((AttributeKey) k, v));
    return copy;
  }

  private void addEvent(EventData event) {
    totalEvents++;
    if (events == null) {
      events = new ArrayList<>(2);
    }
    if (events.size() < limits.getMaxNumberOfEvents()) {
      events.add(event);
    }
  }

  @Override
  public ReadWriteSpan addLink(SpanContext spanContext, Attributes linkAttributes) {
    LinkData link = CompletedSpanBuilder.link(spanContext, linkAttributes, limits);
    if (link == null || ended) {
      return this;
    }
    totalLinks++;
    if (links.size() < limits.getMaxNumberOfLinks()) {
      List<LinkData> more = new ArrayList<>(links);
      more.add(link);
      links = Collections.unmodifiableList(more);
    }
    return this;
  }

  @Override
  public ReadWriteSpan setStatus(StatusCode code, String description) {
    // As the SDK: OK is final, UNSET is no change, a description only goes with ERROR.
    if (code == null || ended || status.getStatusCode() == StatusCode.OK || code == StatusCode.UNSET) {
      return this;
    }
    status = StatusData.create(code, code == StatusCode.ERROR ? description : null);
    return this;
  }

  @Override
  public ReadWriteSpan recordException(Throwable exception, Attributes additional) {
    if (exception == null || ended) {
      return this;
    }
    StringWriter trace = new StringWriter();
    exception.printStackTrace(new PrintWriter(trace));
    io.opentelemetry.api.common.AttributesBuilder a =
        Attributes.builder()
            .put("exception.type", exception.getClass().getCanonicalName())
            .put("exception.stacktrace", trace.toString());
    if (exception.getMessage() != null) {
      a.put("exception.message", exception.getMessage());
    }
    if (additional != null) {
      a.putAll(additional);
    }
    Attributes all = a.build();
    Attributes limited = limited(all, limits.getMaxNumberOfAttributes(), limits.getMaxAttributeValueLength());
    addEvent(EventData.create(clock.now(), "exception", limited, all.size()));
    return this;
  }

  @Override
  public ReadWriteSpan updateName(String newName) {
    if (newName != null && !ended) {
      name = newName;
    }
    return this;
  }

  @Override
  public void end() {
    end(clock.now(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void end(long timestamp, TimeUnit unit) {
    if (ended) {
      return;
    }
    endEpochNanos = timestamp == 0 || unit == null ? clock.now() : unit.toNanos(timestamp); // as the SDK's span
    ended = true;
    if (processor.isEndRequired()) {
      processor.onEnd(this);
    }
  }

  @Override
  public SpanContext getSpanContext() {
    return context;
  }

  @Override
  public boolean isRecording() {
    return !ended;
  }

  // ReadableSpan

  @Override
  public SpanContext getParentSpanContext() {
    return parent;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public SpanData toSpanData() {
    return this;
  }

  @Deprecated
  @Override
  public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
    return InstrumentationLibraryInfo.create(scope.getName(), scope.getVersion(), scope.getSchemaUrl());
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return scope;
  }

  @Override
  public boolean hasEnded() {
    return ended;
  }

  @Override
  public long getLatencyNanos() {
    return (ended ? endEpochNanos : clock.now()) - startEpochNanos;
  }

  @Override
  public SpanKind getKind() {
    return kind;
  }

  @Override
  public <T> T getAttribute(AttributeKey<T> key) {
    return attributes.get(key);
  }

  // SpanData (also ReadableSpan.getAttributes)

  @Override
  public Attributes getAttributes() {
    return attributes;
  }

  @Override
  public StatusData getStatus() {
    return status;
  }

  @Override
  public long getStartEpochNanos() {
    return startEpochNanos;
  }

  @Override
  public List<EventData> getEvents() {
    return events == null ? Collections.<EventData>emptyList() : Collections.unmodifiableList(events);
  }

  @Override
  public List<LinkData> getLinks() {
    return links;
  }

  @Override
  public long getEndEpochNanos() {
    return endEpochNanos;
  }

  @Override
  public int getTotalRecordedEvents() {
    return totalEvents;
  }

  @Override
  public int getTotalRecordedLinks() {
    return totalLinks;
  }

  @Override
  public int getTotalAttributeCount() {
    return attributes.totalAdded();
  }

  @Override
  public Resource getResource() {
    return resource;
  }

  @Override
  public String toString() {
    return "CompletedSpan{name=" + name + ", context=" + context + ", parent=" + parent + ", kind=" + kind
        + ", start=" + startEpochNanos + ", end=" + endEpochNanos + ", status=" + status + ", attributes="
        + attributes + "}";
  }
}
