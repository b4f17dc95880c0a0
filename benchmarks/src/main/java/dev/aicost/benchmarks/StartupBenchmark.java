package dev.aicost.benchmarks;

import dev.aicost.testing.MockOpenAiServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Start-up cost: {@code java -jar hello-llm.jar} (one chat completion against the mock server, then exit) timed from
 * process start to exit, N times each, interleaved: without an agent, with aicost (its weave cache filled by the
 * untimed first round, as on any start after the first), with aicost on a first start (an empty weave cache each
 * run), with the OpenTelemetry Java agent, and with both; and, as the floor, with an agent that does nothing and one
 * that only registers a class-file transformer that changes nothing ({@code NoopTransformerAgent}). Every run also reports the heap in use after a full collection at the end. The agents export OTLP
 * to an {@link OtlpNullSink} in this JVM; aicost writes its ledger to a temporary file.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.aicost.benchmarks.StartupBenchmark [--runs 20] [--out FILE]
 * </pre>
 *
 * Target (issue 6): at most 300 ms added wall time and 30 MB added heap after start, medians.
 */
public final class StartupBenchmark {

  /** Replaced, in each run, by a weave-cache setting naming a new empty folder. */
  private static final String FRESH_CACHE = "{fresh weave cache}";

  private StartupBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = 20;
    Path out = Paths.get("benchmarks/results/startup-" + java.time.LocalDate.now() + ".json");
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs":
          runs = Integer.parseInt(args[++i]);
          break;
        case "--out":
          out = Paths.get(args[++i]);
          break;
        case "--java":
          java = args[++i];
          break;
        default:
          throw new IllegalArgumentException("unknown argument " + args[i] + "; expected --runs N, --out FILE, --java PATH");
      }
    }
    Path agent = BenchEnv.agentJar();
    // beside benchmarks.jar, wherever the agent jar is (-Daicost.agent.jar may name a copy elsewhere)
    Path benchTarget =
        Paths.get(StartupBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    Path hello = BenchEnv.requireFile(benchTarget.resolve("hello-llm.jar"), "hello-llm.jar (mvn -pl benchmarks package)");
    Path otelAgent =
        BenchEnv.requireFile(benchTarget.resolve("opentelemetry-javaagent.jar"), "opentelemetry-javaagent.jar (mvn -pl benchmarks package)");
    Path noopAgent = noopAgent(benchTarget);
    Path work = Files.createTempDirectory("aicost-startup");

    Map<String, List<String>> configs = new LinkedHashMap<>();
    try (MockOpenAiServer server = MockOpenAiServer.start();
        OtlpNullSink sink = OtlpNullSink.start(0)) {
      String endpoint = "-Dotel.exporter.otlp.endpoint=" + sink.endpoint();
      configs.put("none", List.of());
      // The floor: what any -javaagent costs, and any agent that sees classes as they load (docs/performance.md).
      configs.put("noop-agent", List.of("-javaagent:" + noopAgent));
      configs.put("noop-agent-transformer", List.of("-javaagent:" + noopAgent + "=transformer"));
      String warmCache = "-Daicost.weave-cache.dir=" + work.resolve("weave-cache");
      configs.put(
          "aicost",
          List.of("-javaagent:" + agent, endpoint, "-Daicost.ledger.path=" + work.resolve("ledger.jsonl"), warmCache));
      // A first start: an empty weave cache every run (the warm-up run fills the cache of the others).
      configs.put(
          "aicost-first-start",
          List.of("-javaagent:" + agent, endpoint, "-Daicost.ledger.path=" + work.resolve("ledger.jsonl"), FRESH_CACHE));
      configs.put("opentelemetry", List.of("-javaagent:" + otelAgent, endpoint));
      configs.put(
          "opentelemetry+aicost",
          List.of(
              "-javaagent:" + otelAgent,
              "-javaagent:" + agent,
              endpoint,
              "-Daicost.ledger.path=" + work.resolve("ledger.jsonl"),
              warmCache));
      Map<String, List<double[]>> samples = new LinkedHashMap<>();
      configs.keySet().forEach(k -> samples.put(k, new ArrayList<>()));
      String loadBefore = BenchEnv.loadAverage();
      // One untimed run of each first: the OS file cache, not the agent, would otherwise pay for the first run.
      for (int run = 0; run <= runs; run++) {
        for (Map.Entry<String, List<String>> c : configs.entrySet()) {
          double[] r = runOnce(java, c.getValue(), hello, server.baseUrl());
          if (run > 0) {
            samples.get(c.getKey()).add(r);
          }
        }
        server.reset();
        System.out.printf("run %d/%d done%n", run, runs);
      }
      Map<String, Object> summary = new LinkedHashMap<>();
      double baseWall = median(samples.get("none"), 0);
      double baseHeap = median(samples.get("none"), 1);
      for (String k : configs.keySet()) {
        Map<String, Object> s = new LinkedHashMap<>();
        double wall = median(samples.get(k), 0);
        double heap = median(samples.get(k), 1);
        s.put("runs", samples.get(k).size());
        s.put("wallMsMedian", wall);
        s.put("wallMsP90", percentile(samples.get(k), 0, 90));
        s.put("heapUsedAfterStartMbMedian", heap);
        s.put("addedWallMs", wall - baseWall);
        s.put("addedHeapMb", heap - baseHeap);
        summary.put(k, s);
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("benchmark", "StartupBenchmark: java -jar hello-llm.jar, one chat completion");
      result.put("agentJar", agent.toString());
      result.put("agentJarBytes", Files.size(agent));
      result.put("machine", BenchEnv.machine());
      result.put("childJava", java);
      result.put("loadAverageBefore", loadBefore);
      result.put("loadAverageAfter", BenchEnv.loadAverage());
      result.put("summary", summary);
      BenchEnv.writeJson(out, result);
      System.out.println(BenchEnv.json(summary, ""));
      System.out.println("written: " + out.toAbsolutePath());
    }
  }

  /** {@code target/aicost-benchmarks-VERSION-noop-agent.jar}, built with this module. */
  private static Path noopAgent(Path benchTarget) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.list(benchTarget)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith("-noop-agent.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no *-noop-agent.jar in " + benchTarget + " (mvn -pl benchmarks package)"));
    }
  }

  /** {wall ms, heap MB} of one run. */
  private static double[] runOnce(String java, List<String> jvmArgs, Path hello, String baseUrl)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    for (String arg : jvmArgs) {
      cmd.add(arg.equals(FRESH_CACHE) ? "-Daicost.weave-cache.dir=" + Files.createTempDirectory("aicost-weave") : arg);
    }
    cmd.add("-Dotel.service.name=hello-llm");
    cmd.add("-jar");
    cmd.add(hello.toString());
    cmd.add(baseUrl);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    long start = System.nanoTime();
    Process p = pb.start();
    long heap = -1;
    StringBuilder output = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        output.append(line).append('\n');
        if (line.startsWith("HEAP_USED_BYTES=")) {
          heap = Long.parseLong(line.substring("HEAP_USED_BYTES=".length()));
        }
      }
    }
    int exit = p.waitFor();
    long wall = System.nanoTime() - start;
    if (exit != 0 || heap < 0) {
      throw new IllegalStateException("run failed (exit " + exit + "): " + cmd + "\n" + output);
    }
    return new double[] {wall / 1e6, heap / (1024.0 * 1024.0)};
  }

  private static double median(List<double[]> samples, int index) {
    return percentile(samples, index, 50);
  }

  private static double percentile(List<double[]> samples, int index, double p) {
    return BenchEnv.percentile(samples.stream().mapToDouble(s -> s[index]).toArray(), p);
  }
}
