package dev.aicost.exporters.spans;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.bootstrap.AiCallStart;
import dev.aicost.pricing.CostCalculator;
import dev.aicost.sdk.AiCallRecorder;
import dev.aicost.sdk.AiCost;
import dev.aicost.sdk.AiCostScope;
import dev.aicost.sdk.CostRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link CompletedSpanTracerProvider} span must export exactly what the SDK's own span exports for the same calls:
 * every test drives both through the same steps and compares the exported {@link SpanData}, ids aside.
 */
class CompletedSpanTracerProviderTest {

  private static final Resource RESOURCE =
      Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "checkout")));

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  /** The SDK, and the provider that hands spans to the same processors. */
  private final class Pair {
    final SdkTracerProvider sdk;
    final CompletedSpanTracerProvider direct;

    Pair(Sampler sampler, SpanLimits limits, SpanProcessor... extra) {
      List<SpanProcessor> processors = new ArrayList<>(Arrays.asList(extra));
      processors.add(SimpleSpanProcessor.create(exported));
      sdk =
          SdkTracerProvider.builder()
              .setSampler(sampler)
              .setSpanLimits(limits)
              .setResource(RESOURCE)
              .addSpanProcessor(SpanProcessor.composite(processors))
              .build();
      closing.add(sdk);
      direct = CompletedSpanTracerProvider.of(sdk, processors, RESOURCE);
    }

    Pair() {
      this(Sampler.parentBased(Sampler.alwaysOn()), SpanLimits.getDefault());
    }

    /** Runs the steps on the SDK's tracer, then on the direct one; returns both exported spans. */
    List<SpanData> run(Consumer<Tracer> steps) {
      exported.reset();
      steps.accept(tracer(sdk));
      steps.accept(tracer(direct));
      return exported.getFinishedSpanItems();
    }

    private Tracer tracer(TracerProvider provider) {
      return provider.tracerBuilder("dev.aicost").setInstrumentationVersion("1.2.3").build();
    }
  }

  /** Same span, ids aside; and same times where the steps gave them. */
  private static void assertSameSpan(SpanData direct, SpanData sdk) {
    assertSameSpanAtItsOwnTime(direct, sdk);
    assertThat(direct.getStartEpochNanos()).isEqualTo(sdk.getStartEpochNanos());
    assertThat(direct.getEndEpochNanos()).isEqualTo(sdk.getEndEpochNanos());
  }

  private static void assertSameSpanAtItsOwnTime(SpanData direct, SpanData sdk) {
    assertThat(direct.getName()).isEqualTo(sdk.getName());
    assertThat(direct.getKind()).isEqualTo(sdk.getKind());
    assertThat(direct.getAttributes().asMap()).isEqualTo(sdk.getAttributes().asMap());
    assertThat(direct.getTotalAttributeCount()).isEqualTo(sdk.getTotalAttributeCount());
    assertThat(direct.getStatus()).isEqualTo(sdk.getStatus());
    assertThat(direct.hasEnded()).isEqualTo(sdk.hasEnded()).isTrue();
    assertThat(direct.getEvents()).isEqualTo(sdk.getEvents());
    assertThat(direct.getTotalRecordedEvents()).isEqualTo(sdk.getTotalRecordedEvents());
    assertThat(direct.getLinks()).isEqualTo(sdk.getLinks());
    assertThat(direct.getTotalRecordedLinks()).isEqualTo(sdk.getTotalRecordedLinks());
    assertThat(direct.getResource()).isEqualTo(sdk.getResource());
    assertThat(direct.getInstrumentationScopeInfo()).isEqualTo(sdk.getInstrumentationScopeInfo());
    assertThat(direct.getSpanContext().getTraceFlags()).isEqualTo(sdk.getSpanContext().getTraceFlags());
    assertThat(direct.getSpanContext().getTraceState()).isEqualTo(sdk.getSpanContext().getTraceState());
    assertThat(direct.getSpanContext().isValid()).isTrue();
    assertThat(direct.getSpanContext().isRemote()).isFalse();
    assertThat(direct.getParentSpanContext()).isEqualTo(sdk.getParentSpanContext());
  }

  @Test
  void anAiCallIsExportedAsTheSdkExportsIt() {
    Pair pair = new Pair();
    List<CostRecord> records = new ArrayList<>();
    AiCallRecorder viaSdk =
        AiCallRecorder.builder(OpenTelemetrySdk.builder().setTracerProvider(pair.sdk).build(), CostCalculator.bundled())
            .instrumentationVersion("1.2.3")
            .addSink(records::add)
            .build();
    AiCallRecorder direct =
        AiCallRecorder.builder(OpenTelemetrySdk.builder().setTracerProvider(pair.sdk).build(), CostCalculator.bundled())
            .instrumentationVersion("1.2.3")
            .callSpanTracerProvider(pair.direct)
            .addSink(records::add)
            .build();
    closing.add(viaSdk::close);
    closing.add(direct::close);
    for (AiCallRecorder recorder : Arrays.asList(viaSdk, direct)) {
      try (AiCostScope scope = AiCost.attribute().team("search").feature("autocomplete").customer("acme").open()) {
        AiCallStart start =
            AiCallStart.of("openai", "chat").requestModel("gpt-4o").stream(true).server("api.openai.com", 443);
        recorder
            .start(start)
            .responseModel("gpt-4o-2024-08-06")
            .responseId("chatcmpl-1")
            .finishReason("stop")
            .usage(1_200, 350)
            .cacheReadTokens(200)
            .end();
        recorder
            .start(AiCallStart.of("anthropic", "chat").requestModel("claude-sonnet-4-5"))
            .fail(new IllegalStateException("overloaded"), "overloaded_error");
      }
    }

    List<SpanData> spans = exported.getFinishedSpanItems();
    assertThat(spans).hasSize(4);
    assertSameSpanAtItsOwnTime(spans.get(2), spans.get(0));
    assertSameSpanAtItsOwnTime(spans.get(3), spans.get(1));
    // The call's own start and duration, as the SDK's span has them.
    CostRecord call = records.get(2);
    assertThat(spans.get(2).getStartEpochNanos())
        .isEqualTo(TimeUnit.SECONDS.toNanos(call.timestamp().getEpochSecond()) + call.timestamp().getNano());
    assertThat(spans.get(2).getEndEpochNanos() - spans.get(2).getStartEpochNanos()).isEqualTo(call.durationNanos());
    assertThat(spans.get(2)).isInstanceOf(CompletedSpan.class);
    assertThat(spans.get(2).getAttributes().size()).isGreaterThan(16); // more than the SDK's map starts with
    assertThat(spans.get(3).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    // The ledger's record names the span it describes.
    assertThat(records.get(2).traceId()).isEqualTo(spans.get(2).getTraceId());
    assertThat(records.get(2).spanId()).isEqualTo(spans.get(2).getSpanId());
  }

  @Test
  void theParentAndItsTraceAreKept() {
    Pair pair = new Pair();
    Span parent = pair.sdk.get("app").spanBuilder("handle request").startSpan();
    List<SpanData> spans;
    try (Scope s = parent.makeCurrent()) {
      spans = pair.run(t -> t.spanBuilder("chat gpt-4o").setSpanKind(SpanKind.CLIENT).startSpan().end());
    }
    assertSameSpanAtItsOwnTime(spans.get(1), spans.get(0));
    assertThat(spans.get(1).getTraceId()).isEqualTo(parent.getSpanContext().getTraceId());
    assertThat(spans.get(1).getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());

    SpanContext remote =
        SpanContext.createFromRemoteParent(
            "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(),
            TraceState.builder().put("vendor", "x").build());
    spans = pair.run(t -> t.spanBuilder("chat").setParent(Context.root().with(Span.wrap(remote))).startSpan().end());
    assertSameSpanAtItsOwnTime(spans.get(1), spans.get(0));
    assertThat(spans.get(1).getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(spans.get(1).getSpanContext().getTraceState().get("vendor")).isEqualTo("x");

    spans = pair.run(t -> t.spanBuilder("root").setNoParent().startSpan().end());
    assertSameSpanAtItsOwnTime(spans.get(1), spans.get(0));
    assertThat(spans.get(1).getParentSpanContext().isValid()).isFalse();
  }

  @Test
  void theSamplerDecidesAsForTheSdk() {
    Pair off = new Pair(Sampler.alwaysOff(), SpanLimits.getDefault());
    List<Span> made = new ArrayList<>();
    assertThat(off.run(t -> {
      Span s = t.spanBuilder("chat").startSpan();
      made.add(s);
      s.setAttribute("a", "b");
      s.end();
    })).isEmpty();
    // Not recorded, not exported, but with a valid context (ids for the ledger), as the SDK's.
    assertThat(made).allSatisfy(s -> {
      assertThat(s.isRecording()).isFalse();
      assertThat(s.getSpanContext().isValid()).isTrue();
      assertThat(s.getSpanContext().isSampled()).isFalse();
    });

    // A parent that was not sampled decides for its children.
    Pair parentBased = new Pair();
    SpanContext unsampled =
        SpanContext.createFromRemoteParent(
            "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getDefault(), TraceState.getDefault());
    assertThat(parentBased.run(t -> t.spanBuilder("chat").setParent(Context.root().with(Span.wrap(unsampled))).startSpan().end()))
        .isEmpty();
  }

  @Test
  void spanLimitsApplyAsInTheSdk() {
    SpanLimits limits = SpanLimits.builder().setMaxNumberOfAttributes(5).setMaxAttributeValueLength(4).build();
    Pair pair = new Pair(Sampler.alwaysOn(), limits);
    List<SpanData> spans =
        pair.run(t -> {
          io.opentelemetry.api.trace.SpanBuilder b = t.spanBuilder("chat");
          b.setAttribute("a", "abcdefgh").setAttribute("b", 1L).setAttribute("c", true);
          Span s = b.setStartTimestamp(5, TimeUnit.SECONDS).startSpan();
          s.setAttribute(AttributeKey.stringArrayKey("d"), Arrays.asList("xy", "uvwxyz"));
          s.setAttribute("a", "replaced"); // same name: replaces, does not count against the limit
          s.setAttribute("e", 2.5);
          s.setAttribute("f", "dropped");
          s.setAttribute(AttributeKey.longKey("a"), 7L); // same name, other type: replaces
          s.end(6, TimeUnit.SECONDS);
        });
    assertSameSpan(spans.get(1), spans.get(0));
    assertThat(spans.get(1).getAttributes().size()).isEqualTo(5);
    assertThat(spans.get(1).getAttributes().get(AttributeKey.longKey("a"))).isEqualTo(7L);
    assertThat(spans.get(1).getAttributes().get(AttributeKey.stringKey("a"))).isNull();
    assertThat(spans.get(1).getAttributes().get(AttributeKey.stringArrayKey("d"))).containsExactly("xy", "uvwx");
  }

  @Test
  void statusNameEventsLinksAndTheEndFollowTheSdksRules() {
    Pair pair = new Pair();
    IllegalStateException failure = new IllegalStateException("rate limited");
    SpanContext linked =
        SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());
    List<SpanData> spans =
        pair.run(t -> {
          Span s =
              t.spanBuilder("first")
                  .setSpanKind(SpanKind.CLIENT)
                  .setStartTimestamp(1_000_000_000L, TimeUnit.NANOSECONDS)
                  .addLink(linked, Attributes.of(AttributeKey.stringKey("why"), "retry"))
                  .addLink(SpanContext.getInvalid())
                  .startSpan();
          s.updateName("renamed");
          s.addEvent("retry", Attributes.of(AttributeKey.longKey("attempt"), 2L), 1_500_000_000L, TimeUnit.NANOSECONDS);
          s.setStatus(StatusCode.UNSET);
          s.setStatus(StatusCode.ERROR, "rate limited");
          s.setStatus(StatusCode.OK, "ignored description");
          s.setStatus(StatusCode.ERROR, "too late: OK is final");
          s.end(2_000_000_000L, TimeUnit.NANOSECONDS);
          s.setAttribute("after", "end");
          s.updateName("after end");
          s.end(3_000_000_000L, TimeUnit.NANOSECONDS);
        });
    assertSameSpan(spans.get(1), spans.get(0));
    assertThat(spans.get(1).getName()).isEqualTo("renamed");
    assertThat(spans.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
    assertThat(spans.get(1).getEndEpochNanos()).isEqualTo(2_000_000_000L);
    assertThat(spans.get(1).getLinks()).hasSize(1);

    spans = pair.run(t -> {
      Span s = t.spanBuilder("failing").setStartTimestamp(1_000_000_000L, TimeUnit.NANOSECONDS).startSpan();
      s.recordException(failure);
      s.end(2_000_000_000L, TimeUnit.NANOSECONDS);
    });
    // Exception events carry the clock's time: compare what they say.
    SpanData sdk = spans.get(0);
    SpanData direct = spans.get(1);
    assertThat(direct.getEvents()).hasSize(1);
    assertThat(direct.getEvents().get(0).getName()).isEqualTo(sdk.getEvents().get(0).getName());
    assertThat(direct.getEvents().get(0).getAttributes().asMap()).isEqualTo(sdk.getEvents().get(0).getAttributes().asMap());
  }

  @Test
  void aBuilderCannotChangeASpanItStarted() {
    Pair pair = new Pair();
    List<SpanData> spans =
        pair.run(t -> {
          io.opentelemetry.api.trace.SpanBuilder b =
              t.spanBuilder("reused").setStartTimestamp(1, TimeUnit.SECONDS).setAttribute("first", "1");
          Span one = b.startSpan();
          b.setAttribute("second", "2");
          Span two = b.startSpan();
          one.end(2, TimeUnit.SECONDS);
          two.end(2, TimeUnit.SECONDS);
        });
    assertThat(spans).hasSize(4);
    assertSameSpan(spans.get(2), spans.get(0));
    assertSameSpan(spans.get(3), spans.get(1));
    assertThat(spans.get(2).getAttributes().asMap()).hasSize(1);
    assertThat(spans.get(3).getAttributes().get(AttributeKey.stringKey("first"))).isNull();
    assertThat(spans.get(3).getAttributes().get(AttributeKey.stringKey("second"))).isEqualTo("2");
  }

  @Test
  void eventAndLinkLimitsApplyAsInTheSdk() {
    SpanLimits limits =
        SpanLimits.builder()
            .setMaxNumberOfEvents(2)
            .setMaxNumberOfLinks(2)
            .setMaxNumberOfAttributesPerEvent(1)
            .setMaxNumberOfAttributesPerLink(1)
            .setMaxAttributeValueLength(3)
            .build();
    Pair pair = new Pair(Sampler.alwaysOn(), limits);
    SpanContext a =
        SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());
    SpanContext b =
        SpanContext.create("1af7651916cd43dd8448eb211c80319c", "c7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());
    Attributes two = Attributes.of(AttributeKey.stringKey("k1"), "long value", AttributeKey.stringKey("k2"), "v");
    List<SpanData> spans =
        pair.run(t -> {
          Span s =
              t.spanBuilder("chat")
                  .setStartTimestamp(1, TimeUnit.SECONDS)
                  .addLink(a, two)
                  .addLink(SpanContext.getInvalid(), Attributes.of(AttributeKey.stringKey("kept"), "yes"))
                  .startSpan();
          s.addLink(b, Attributes.of(AttributeKey.stringKey("x"), "y")); // over the limit: counted, not kept
          s.addEvent("first", two, 2, TimeUnit.SECONDS);
          s.addEvent("second", Attributes.of(AttributeKey.stringKey("ok"), "ok"), 3, TimeUnit.SECONDS);
          s.addEvent("third", Attributes.empty(), 4, TimeUnit.SECONDS);
          s.end(5, TimeUnit.SECONDS);
        });
    assertSameSpan(spans.get(1), spans.get(0));
    assertThat(spans.get(1).getLinks()).hasSize(2);
    assertThat(spans.get(1).getTotalRecordedLinks()).isEqualTo(3);
    assertThat(spans.get(1).getLinks().get(0).getTotalAttributeCount()).isEqualTo(2);
    assertThat(spans.get(1).getLinks().get(0).getAttributes().asMap()).hasSize(1);
    assertThat(spans.get(1).getEvents()).hasSize(2);
    assertThat(spans.get(1).getTotalRecordedEvents()).isEqualTo(3);
    assertThat(spans.get(1).getEvents().get(0).getAttributes().get(AttributeKey.stringKey("k1"))).isEqualTo("lon");
  }

  @Test
  void processorsSeeTheSpanStartAndEnd() {
    List<String> seen = new ArrayList<>();
    SpanProcessor enriching =
        new SpanProcessor() {
          @Override
          public void onStart(Context parentContext, ReadWriteSpan span) {
            seen.add("start " + span.getName() + " recording=" + span.isRecording());
            span.setAttribute("enriched.by", "processor");
          }

          @Override
          public boolean isStartRequired() {
            return true;
          }

          @Override
          public void onEnd(ReadableSpan span) {
            seen.add("end " + span.getName() + " ended=" + span.hasEnded() + " latency=" + span.getLatencyNanos());
          }

          @Override
          public boolean isEndRequired() {
            return true;
          }
        };
    Pair pair = new Pair(Sampler.alwaysOn(), SpanLimits.getDefault(), enriching);
    List<SpanData> spans =
        pair.run(t -> t.spanBuilder("chat").setStartTimestamp(10, TimeUnit.SECONDS).startSpan().end(12, TimeUnit.SECONDS));
    assertSameSpan(spans.get(1), spans.get(0));
    assertThat(spans.get(1).getAttributes().get(AttributeKey.stringKey("enriched.by"))).isEqualTo("processor");
    assertThat(seen)
        .containsExactly(
            "start chat recording=true",
            "end chat ended=true latency=2000000000",
            "start chat recording=true",
            "end chat ended=true latency=2000000000");
  }
}
