package dev.aicost.benchmarks;

import dev.aicost.benchmarks.paired.ClientCalls;
import dev.aicost.testing.MockOpenAiServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the agent adds to a real openai-java call, as the application sees it: a child JVM (the application: the
 * client and, in the agent's configurations, the agent) makes chat completions, blocking and streamed, against a
 * {@link MockOpenAiServer} that runs in <em>this</em> process on loopback, as a provider runs outside the
 * application. Each child reports the median and percentiles of the calls' wall time and, per call, the calling
 * thread's CPU time and allocation, the whole child process's CPU time (agent threads included) and, on Linux, the
 * CPU time of each thread group ({@code cpuUs[C2_CompilerThre]}, {@code cpuUs[aicost-recorder]}, ...). CPU time counts
 * only while a thread runs, so the CPU columns stay comparable between runs on a shared machine when wall-clock
 * medians do not.
 *
 * <p>Children run alternately without and with {@code -javaagent} (without, with, without, ...), so that a change in
 * the machine's load hits both. The agent exports OTLP http/protobuf to an {@link OtlpNullSink} in this process; in
 * the {@code aicost} configuration it also writes its cost ledger to a temporary file, in {@code aicost-no-ledger} it
 * runs as {@code -javaagent} alone configures it (the ledger is opt-in).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.aicost.benchmarks.CallCost \
 *     [--rounds 5] [--warmup 20000] [--calls 40000] [--configs none,aicost,aicost-no-ledger,none-again]
 *     [--agent-arg -Dname=value] [--interval-us 0] [--out benchmarks/results/call-cost-DATE.json]
 * </pre>
 *
 * <p>By default each child makes its measured calls back to back (a closed loop): on a machine with few cores the
 * client, its HTTP threads and the agent's background threads then compete for every core, and what the agent adds
 * is throughput lost to that competition as much as time on the call. With {@code --interval-us N} the measured calls
 * start every N microseconds instead (a call that overruns its slot is followed at once), as calls arrive in an
 * application that makes them at a given rate: the cores are free between calls, and the added wall time is what the
 * agent adds to the call itself. The warm-up is always back to back.
 *
 * Target (issue 6, item 1): the added median time per call at most 20 µs and at most 3 % of the call without the
 * agent. {@link AgentOverhead} measures the same in JMH forks with the server inside the forked JVM.
 */
public final class CallCost {

  private static final String RESULT = "CALL_COST ";
  private static final String[] MODES = {"sync", "streaming"};

  /**
   * The children's configurations, run in this order in every round: no agent; the agent with the cost ledger on (the
   * ledger is off by default); the agent as {@code -javaagent} alone configures it (OTLP export, no ledger); and no
   * agent again, a child identical to the first, whose "added" time is how far two runs of the same thing differ on
   * this machine (the noise any other figure must be read against).
   */
  private static final String[] CONFIGS = {"none", "aicost", "aicost-no-ledger", "none-again"};

  private CallCost() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Long.parseLong(args[4]));
      return;
    }
    int rounds = 5;
    HarnessOptions options = new HarnessOptions(20_000, "call-cost");
    int calls = 40_000;
    long intervalUs = 0;
    List<String> configs = Arrays.asList(CONFIGS);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds":
          rounds = Integer.parseInt(args[++i]);
          break;
        case "--calls":
          calls = Integer.parseInt(args[++i]);
          break;
        case "--configs":
          configs = parseConfigs(args[++i]);
          break;
        case "--interval-us":
          intervalUs = Long.parseLong(args[++i]);
          if (intervalUs < 0) {
            throw new IllegalArgumentException("--interval-us must be 0 (back to back) or positive, was " + intervalUs);
          }
          break;
        default:
          int value = options.parse(args, i);
          if (value < 0) {
            throw new IllegalArgumentException(
                "unknown argument " + args[i] + "; expected --rounds N, --calls N, " + HarnessOptions.USAGE
                    + ", --interval-us N, --configs " + String.join(",", CONFIGS));
          }
          i = value;
      }
    }
    int warmup = options.warmup;
    Path agent = BenchEnv.agentJar();
    Path work = Files.createTempDirectory("aicost-call-cost");
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    String loadBefore = BenchEnv.loadAverage();

    Map<String, Map<String, List<Map<String, Double>>>> runs = new LinkedHashMap<>();
    List<Map<String, Object>> perRound = new ArrayList<>();
    try (MockOpenAiServer server = MockOpenAiServer.start();
        OtlpNullSink sink = OtlpNullSink.start(0)) {
      for (int round = 1; round <= rounds; round++) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("round", round);
        r.put("loadAverageBefore", BenchEnv.loadAverage());
        for (String config : configs) {
          List<String> cmd = new ArrayList<>(Arrays.asList(java, "-Xms512m", "-Xmx512m"));
          if (!isWithoutAgent(config)) {
            Path ledger = config.equals("aicost") ? work.resolve("ledger-" + round + ".jsonl") : null;
            cmd.addAll(BenchEnv.agentJvmArgs(agent, sink, ledger, options.agentArgs));
          }
          cmd.addAll(Arrays.asList("-cp", classpath, CallCost.class.getName(), "--child", server.baseUrl(),
              Integer.toString(warmup), Integer.toString(calls), Long.toString(intervalUs)));
          Map<String, Map<String, Double>> result = runChild(cmd);
          server.reset();
          r.put(config, result);
          for (Map.Entry<String, Map<String, Double>> e : result.entrySet()) {
            runs.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>())
                .computeIfAbsent(config, k -> new ArrayList<>())
                .add(e.getValue());
          }
          System.out.printf("round %d/%d %s: %s%n", round, rounds, config, result);
        }
        perRound.add(r);
      }
      Map<String, Object> summary = new LinkedHashMap<>();
      for (String config : configs) {
        if (!config.equals("none")) {
          summary.put(config, summary(runs, config));
        }
      }
      Map<String, Object> result =
          options.resultHeader("CallCost: openai-java chat completions from a child JVM, mock server in the parent", agent);
      result.put("warmupCallsPerMode", warmup);
      result.put("measuredCallsPerMode", calls);
      result.put("intervalUs", intervalUs);
      result.put("pacing", intervalUs == 0 ? "back to back" : "one call every " + intervalUs + " µs");
      options.finish(result, loadBefore, sink, summary);
      result.put("rounds", perRound);
      BenchEnv.writeJson(options.out, result);
      System.out.println(BenchEnv.json(summary, ""));
      System.out.println("written: " + options.out.toAbsolutePath());
    }
  }

  /** Per mode, each metric's median without the agent and in {@code config}, and whether the target is met. */
  private static Map<String, Object> summary(Map<String, Map<String, List<Map<String, Double>>>> runs, String config) {
    Map<String, Object> summary = new LinkedHashMap<>();
    for (String mode : MODES) {
      Map<String, List<Map<String, Double>>> byConfig = runs.get(mode);
      Map<String, Object> s = new LinkedHashMap<>();
      java.util.Set<String> metrics = new java.util.LinkedHashSet<>();
      byConfig.values().forEach(list -> list.forEach(m -> metrics.addAll(m.keySet())));
      for (String metric : metrics) {
        double a = median(byConfig.get("none"), metric);
        double b = median(byConfig.get(config), metric);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("withoutAgent", a);
        m.put("withAgent", b);
        m.put("added", b - a);
        s.put(metric, m);
      }
      double a50 = median(byConfig.get("none"), "wallP50Us");
      double added = median(byConfig.get(config), "wallP50Us") - a50;
      s.put("addedMedianPercent", 100 * added / a50);
      s.put("targetMet", HarnessOptions.withinCallTarget(added, a50));
      summary.put(mode, s);
    }
    return summary;
  }

  private static Map<String, Map<String, Double>> runChild(List<String> cmd) throws IOException, InterruptedException {
    List<String> output = BenchEnv.runChild(cmd);
    Map<String, Map<String, Double>> result = new LinkedHashMap<>();
    for (String line : output) {
      if (line.startsWith(RESULT)) {
        String[] parts = line.substring(RESULT.length()).split(" ");
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
          String[] kv = parts[i].split("=", 2);
          m.put(kv[0], Double.parseDouble(kv[1]));
        }
        result.put(parts[0], m);
      }
    }
    if (result.size() != MODES.length) {
      throw new IllegalStateException("child reported " + result.keySet() + ": " + cmd + "\n" + String.join("\n", output));
    }
    return result;
  }

  private static boolean isWithoutAgent(String config) {
    return config.equals("none") || config.equals("none-again");
  }

  private static List<String> parseConfigs(String list) {
    List<String> configs = new ArrayList<>(Arrays.asList(list.split(",")));
    if (!configs.contains("none") || !Arrays.asList(CONFIGS).containsAll(configs) || configs.size() < 2) {
      throw new IllegalArgumentException(
          "--configs takes none and at least one of aicost, aicost-no-ledger, none-again (comma-separated), was "
              + list);
    }
    return configs;
  }

  private static double median(List<Map<String, Double>> runs, String metric) {
    return BenchEnv.percentile(runs.stream().mapToDouble(m -> m.getOrDefault(metric, 0.0)).toArray(), 50);
  }

  // ---- the child: the application ----

  private static void child(String baseUrl, int warmup, int calls, long intervalUs) {
    Runnable[] client = ClientCalls.against(baseUrl);
    measure("sync", client[0], warmup, calls, intervalUs);
    measure("streaming", client[1], warmup / 4, calls / 4, intervalUs);
    client[2].run();
  }

  private static void measure(String mode, Runnable call, int warmup, int calls, long intervalUs) {
    for (int i = 0; i < warmup; i++) {
      call.run();
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long tid = Thread.currentThread().getId();
    long[] nanos = new long[calls];
    long cpu0 = threads.getCurrentThreadCpuTime();
    long alloc0 = threads.getThreadAllocatedBytes(tid);
    long process0 = os.getProcessCpuTime();
    Map<String, Long> threadCpu0 = BenchEnv.threadCpuByGroup();
    long wall0 = System.nanoTime();
    long interval = intervalUs * 1000;
    for (int i = 0; i < calls; i++) {
      if (interval > 0) {
        // the slot's start, not the previous call's end: a slow call does not push later calls back
        long wait = wall0 + i * interval - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
      }
      long t = System.nanoTime();
      call.run();
      nanos[i] = System.nanoTime() - t;
    }
    long wall = 0; // the calls' own time: with pacing, the waits between them are not part of it
    for (long n : nanos) {
      wall += n;
    }
    long process = os.getProcessCpuTime() - process0;
    long alloc = threads.getThreadAllocatedBytes(tid) - alloc0;
    long cpu = threads.getCurrentThreadCpuTime() - cpu0;
    String perThread = BenchEnv.threadCpuPerCall(threadCpu0, BenchEnv.threadCpuByGroup(), calls);
    Arrays.sort(nanos);
    System.out.printf(
        "%s%s wallP50Us=%.2f wallP90Us=%.2f wallP99Us=%.2f wallMeanUs=%.2f callingThreadCpuUs=%.2f "
            + "processCpuUs=%.2f callingThreadBytes=%.0f%s%n",
        RESULT,
        mode,
        nanos[calls / 2] / 1e3,
        nanos[(int) (calls * 0.9)] / 1e3,
        nanos[(int) (calls * 0.99)] / 1e3,
        wall / 1e3 / calls,
        cpu / 1e3 / calls,
        process / 1e3 / calls,
        (double) alloc / calls,
        perThread);
  }
}
