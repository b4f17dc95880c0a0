package dev.aicost.benchmarks;

import dev.aicost.sdk.AiCost;
import dev.aicost.sdk.AiCostScope;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Memory over a long run: records N calls (default 10 million) through the real recording path
 * ({@link BenchPipeline}: OpenTelemetry SDK, ledger) for C distinct customers (default 100,000, in turn, each inside
 * its own team/feature/customer scope), and after every S calls (default 1 million) measures the heap in use after a
 * full collection, the metric points the SDK exported, and what the calling thread allocated per call in that
 * window. The heap must plateau: customers reach spans and the ledger, never unbounded metric series.
 *
 * <pre>
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar dev.aicost.benchmarks.MemoryFlat \
 *     [--calls 10000000] [--customers 100000] [--sample-every 1000000] [--customer-metric-values 0] [--out FILE]
 * </pre>
 */
public final class MemoryFlat {

  private MemoryFlat() {}

  public static void main(String[] args) throws Exception {
    long calls = 10_000_000L;
    int customers = 100_000;
    long every = 1_000_000L;
    int customerMetricValues = 0;
    Path out = Paths.get("benchmarks/results/memory-flat-" + java.time.LocalDate.now() + ".json");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--calls":
          calls = Long.parseLong(args[++i]);
          break;
        case "--customers":
          customers = Integer.parseInt(args[++i]);
          break;
        case "--sample-every":
          every = Long.parseLong(args[++i]);
          break;
        case "--customer-metric-values":
          customerMetricValues = Integer.parseInt(args[++i]);
          break;
        case "--out":
          out = Paths.get(args[++i]);
          break;
        default:
          throw new IllegalArgumentException(
              "unknown argument " + args[i]
                  + "; expected --calls N, --customers N, --sample-every N, --customer-metric-values N, --out FILE");
      }
    }
    String[] names = new String[customers];
    for (int i = 0; i < customers; i++) {
      names[i] = "customer-" + i;
    }
    String[] teams = {"search", "support", "billing", "ads"};
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    List<Map<String, Object>> samples = new ArrayList<>();
    String loadBefore = BenchEnv.loadAverage();
    long t0 = System.nanoTime();
    try (BenchPipeline pipeline = new BenchPipeline(customerMetricValues, Duration.ofSeconds(10))) {
      samples.add(sample(0, pipeline, 0, 0));
      long windowStart = System.nanoTime();
      long allocStart = threads.getThreadAllocatedBytes(self);
      for (long i = 1; i <= calls; i++) {
        int c = (int) (i % customers);
        try (AiCostScope scope =
            AiCost.attribute().team(teams[c & 3]).feature("answers").customer(names[c]).open()) {
          BenchPipeline.recordChatCall(BenchPipeline.chatStart());
        }
        if (i % every == 0) {
          long allocated = threads.getThreadAllocatedBytes(self) - allocStart;
          long nanos = System.nanoTime() - windowStart;
          samples.add(sample(i, pipeline, allocated / (double) every, nanos / (double) every));
          System.out.println(samples.get(samples.size() - 1));
          windowStart = System.nanoTime();
          allocStart = threads.getThreadAllocatedBytes(self);
        }
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("benchmark", "MemoryFlat: recording path, distinct customers");
      result.put("calls", calls);
      result.put("customers", customers);
      result.put("customerMetricValues", customerMetricValues);
      result.put("seconds", (System.nanoTime() - t0) / 1e9);
      result.put("spansExported", pipeline.exportedSpans.get());
      result.put("ledgerLinesWritten", pipeline.ledger().writtenRecords());
      result.put("ledgerLinesDropped", pipeline.ledger().droppedRecords());
      result.put("machine", BenchEnv.machine());
      result.put("loadAverageBefore", loadBefore);
      result.put("loadAverageAfter", BenchEnv.loadAverage());
      result.put("samples", samples);
      BenchEnv.writeJson(out, result);
      System.out.println("written: " + out.toAbsolutePath());
    }
  }

  private static Map<String, Object> sample(long calls, BenchPipeline p, double bytesPerCall, double nanosPerCall) {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    System.gc();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("calls", calls);
    s.put("heapUsedAfterGcMb", Math.round((rt.totalMemory() - rt.freeMemory()) / 1048576.0 * 10) / 10.0);
    s.put("metricPointsExportedSoFar", p.exportedMetricPoints.get());
    s.put("callingThreadBytesPerCall", Math.round(bytesPerCall));
    s.put("nsPerCall", Math.round(nanosPerCall));
    s.put("ledgerDroppedSoFar", p.ledger().droppedRecords());
    return s;
  }
}
