package dev.aicost.benchmarks;

import dev.aicost.sdk.AiCost;
import dev.aicost.sdk.AiCostScope;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The recording path's cost in CPU time rather than wall time: what the calling thread spends per call
 * ({@code ThreadMXBean} thread CPU time) and allocates, and what every thread of the JVM together spends per call
 * (span export, metric collection and ledger serialization included). CPU time counts only while a thread runs, so
 * unlike {@link RecordingBenchmark}'s wall time it stays meaningful on a machine shared with other work (it still
 * grows somewhat there: caches and the shared core's pipeline are contended).
 *
 * <pre>
 * java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar dev.aicost.benchmarks.RecordingCost [--calls 2000000] [--out FILE]
 *     [--only sdk-unattributed]   (one variant, e.g. under a profiler; nothing is written)
 * </pre>
 *
 * Variants: {@code sdk-} and {@code noop-} (OpenTelemetry's no-op API) {@code unattributed} and {@code attributed}
 * (a scope opened per call), completed on the calling thread; {@code sdk-background} as the agent runs it, completed
 * on the recorder thread; {@code sdk-background-sdk-spans} the same with call spans made by the SDK's own tracer.
 */
public final class RecordingCost {

  private static final int BURST = 1000;

  private RecordingCost() {}

  public static void main(String[] args) throws Exception {
    long calls = 2_000_000L;
    Path out = Paths.get("benchmarks/results/recording-cost-" + java.time.LocalDate.now() + ".json");
    String only = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--calls":
          calls = Long.parseLong(args[++i]);
          break;
        case "--out":
          out = Paths.get(args[++i]);
          break;
        case "--only":
          only = args[++i];
          break;
        default:
          throw new IllegalArgumentException(
              "unknown argument " + args[i] + "; expected --calls N, --out FILE, --only {sdk,noop}-{unattributed,attributed}, sdk-background or sdk-background-sdk-spans");
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("benchmark", "RecordingCost: CPU time and allocation per recorded call");
    result.put("calls", calls);
    result.put("machine", BenchEnv.machine());
    result.put("loadAverageBefore", BenchEnv.loadAverage());
    for (String telemetry : new String[] {"sdk", "noop"}) {
      for (boolean attributed : new boolean[] {false, true}) {
        String variant = telemetry + (attributed ? "-attributed" : "-unattributed");
        if (only == null || only.equals(variant)) {
          result.put(variant, measure(calls, "sdk".equals(telemetry), attributed, false, true));
        }
      }
    }
    // As the agent runs it: the calling thread reads the response and queues it; the recorder thread does the rest.
    if (only == null || only.equals("sdk-background")) {
      result.put("sdk-background", measure(calls, true, false, true, true));
    }
    // The same with call spans made by the SDK's own tracer (aicost.recording.direct-spans=false).
    if (only == null || only.equals("sdk-background-sdk-spans")) {
      result.put("sdk-background-sdk-spans", measure(calls, true, false, true, false));
    }
    if (only != null) {
      if (result.size() == 4) {
        throw new IllegalArgumentException(
            "no variant " + only + "; expected {sdk,noop}-{unattributed,attributed}, sdk-background or sdk-background-sdk-spans");
      }
      return; // a single variant is for profiling; the result file holds complete runs only
    }
    result.put("loadAverageAfter", BenchEnv.loadAverage());
    BenchEnv.writeJson(out, result);
    System.out.println(BenchEnv.json(result, ""));
    System.out.println("written: " + out.toAbsolutePath());
  }

  private static Map<String, Object> measure(
      long calls, boolean sdk, boolean attributed, boolean background, boolean directSpans) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long self = Thread.currentThread().getId();
    try (BenchPipeline pipeline = new BenchPipeline(0, Duration.ofSeconds(10), sdk, background, directSpans)) {
      run(calls, attributed, background ? pipeline : null); // warm-up: JIT, caches, metric series
      pipeline.recorder().flush();
      long inline0 = pipeline.recorder().completedOnCallingThreadWhenQueueFull();
      long cpu0 = threads.getCurrentThreadCpuTime();
      long alloc0 = threads.getThreadAllocatedBytes(self);
      long proc0 = os.getProcessCpuTime();
      long all0 = allThreadsAllocatedBytes(threads);
      long wall0 = System.nanoTime();
      run(calls, attributed, background ? pipeline : null);
      long wall = System.nanoTime() - wall0;
      long cpu = threads.getCurrentThreadCpuTime() - cpu0;
      long alloc = threads.getThreadAllocatedBytes(self) - alloc0;
      pipeline.recorder().flush(); // the ledger's serialization of these calls belongs to them
      long proc = os.getProcessCpuTime() - proc0;
      long all = allThreadsAllocatedBytes(threads) - all0;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("callingThreadCpuNsPerCall", cpu / (double) calls);
      m.put("callingThreadBytesPerCall", alloc / (double) calls);
      m.put("allThreadsBytesPerCall", all / (double) calls);
      m.put("processCpuNsPerCall", proc / (double) calls);
      m.put("wallNsPerCall", wall / (double) calls);
      m.put("ledgerDropped", pipeline.ledger().droppedRecords());
      if (background) {
        m.put("completedOnCallingThreadQueueFull", pipeline.recorder().completedOnCallingThreadWhenQueueFull() - inline0);
      }
      System.out.println(
          (sdk ? "sdk" : "noop")
              + (attributed ? " attributed " : " unattributed ")
              + (background ? "background " : "")
              + (sdk && !directSpans ? "sdk-spans " : "")
              + m);
      return m;
    }
  }

  /**
   * What every live thread has allocated: the calling thread, the recorder, the span and metric exporters and the
   * ledger writer (JMH's {@code gc.alloc.rate.norm} counts the same, from GC statistics). The pipeline's threads live
   * through a measurement, so none of their allocation is lost with a thread that ended.
   */
  private static long allThreadsAllocatedBytes(com.sun.management.ThreadMXBean threads) {
    long sum = 0;
    for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      sum += Math.max(0, bytes); // -1 for a thread that ended meanwhile
    }
    return sum;
  }

  /**
   * @param paced with background completion: wait for the recorder thread after every {@value #BURST} calls (waiting
   *     costs the calling thread no CPU), as calls that do network I/O in between would; a tight loop of a million
   *     calls a second would otherwise fill its queue and complete calls on the calling thread
   */
  private static void run(long calls, boolean attributed, BenchPipeline paced) {
    for (long i = 0; i < calls; i++) {
      if (paced != null && i % BURST == BURST - 1) {
        paced.recorder().flush();
      }
      if (attributed) {
        try (AiCostScope scope = AiCost.attribute().team("search").feature("answers").customer("acme-corp").open()) {
          BenchPipeline.recordChatCall(BenchPipeline.chatStart());
        }
      } else {
        BenchPipeline.recordChatCall(BenchPipeline.chatStart());
      }
    }
  }
}
