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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The recording path of {@link RecordingBenchmark} from 1, 8 and 64 threads at once, into one shared pipeline: total
 * calls recorded per second. Each thread records for its own team (8 teams), so the metric series are shared the
 * way they are in a service. What must hold: throughput does not collapse as threads are added (no global lock on
 * the calling thread).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ContentionBenchmark {

  private static final String[] TEAMS = {"search", "support", "billing", "ads", "growth", "risk", "ops", "labs"};

  private BenchPipeline pipeline;

  @Setup(Level.Trial)
  public void setUp() {
    pipeline = new BenchPipeline(0, Duration.ofSeconds(10));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.printf(
        "%n[ContentionBenchmark] spans exported %,d, ledger lines written %,d, dropped %,d%n",
        pipeline.exportedSpans.get(), pipeline.ledger().writtenRecords(), pipeline.ledger().droppedRecords());
    pipeline.close();
  }

  /** Per-thread attribution: the team is fixed per thread. */
  @State(Scope.Thread)
  public static class ThreadTeam {
    private static final java.util.concurrent.atomic.AtomicInteger NEXT = new java.util.concurrent.atomic.AtomicInteger();
    String team;

    @Setup(Level.Trial)
    public void pick() {
      team = TEAMS[NEXT.getAndIncrement() % TEAMS.length];
    }
  }

  private static void record(ThreadTeam t) {
    try (AiCostScope scope = AiCost.attribute().team(t.team).feature("answers").open()) {
      BenchPipeline.recordChatCall(BenchPipeline.chatStart());
    }
  }

  @Benchmark
  @Threads(1)
  public void threads01(ThreadTeam t) {
    record(t);
  }

  @Benchmark
  @Threads(8)
  public void threads08(ThreadTeam t) {
    record(t);
  }

  @Benchmark
  @Threads(64)
  public void threads64(ThreadTeam t) {
    record(t);
  }
}
