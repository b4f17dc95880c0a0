package dev.aicost.benchmarks;

import dev.aicost.sdk.AiCost;
import dev.aicost.sdk.AiCostScope;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The recording path alone, on the calling thread: {@code AiCallBridge.start} (attribution, span start), the
 * response and usage on the handle, {@code end()} (pricing, span attributes and end, the four metric instruments and
 * the exact spend series, the ledger enqueue). Everything after the calling thread lets go (span batching and
 * export, metric collection, JSON serialization of the ledger line) runs on the SDK's and the ledger's own threads,
 * with exporters that discard ({@link BenchPipeline}). Target: at most 2 µs and 2 KB per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RecordingBenchmark {

  /**
   * {@code sdk}: the OpenTelemetry SDK, as the agent runs (call spans straight to its span processor).
   * {@code sdk-spans}: the same with call spans made by the SDK's own tracer ({@code aicost.recording.direct-spans=false}).
   * {@code noop}: OpenTelemetry's no-op API, which leaves aicost's own work (attribution, pricing, the cost record, the
   * ledger enqueue): the difference is what the SDK costs per span and measurement.
   */
  @Param({"sdk", "sdk-spans", "noop"})
  public String telemetry;

  private BenchPipeline pipeline;

  @Setup(Level.Trial)
  public void setUp() {
    pipeline =
        new BenchPipeline(0, Duration.ofSeconds(10), !"noop".equals(telemetry), false, !"sdk-spans".equals(telemetry));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.printf(
        "%n[RecordingBenchmark] spans exported %,d, metric points exported %,d, ledger lines written %,d, dropped %,d%n",
        pipeline.exportedSpans.get(),
        pipeline.exportedMetricPoints.get(),
        pipeline.ledger().writtenRecords(),
        pipeline.ledger().droppedRecords());
    pipeline.close();
  }

  /** A call with no attribution scope (team {@code unattributed}, owner {@code bench}). */
  @Benchmark
  public void unattributedCall() {
    BenchPipeline.recordChatCall(BenchPipeline.chatStart());
  }

  /** A call inside a team/feature/customer scope opened and closed around it, as an application does per request. */
  @Benchmark
  public void attributedCall() {
    try (AiCostScope scope = AiCost.attribute().team("search").feature("answers").customer("acme-corp").open()) {
      BenchPipeline.recordChatCall(BenchPipeline.chatStart());
    }
  }
}
