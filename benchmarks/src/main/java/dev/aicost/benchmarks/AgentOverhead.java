package dev.aicost.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

/**
 * Per-call overhead of the agent on a real client call: runs {@link OpenAiCallBenchmark} in JMH forks without and
 * with {@code -javaagent:aicost-javaagent.jar}, alternating (without, with, without, with, ...) so that a change in
 * machine load hits both sides, and writes the percentiles of both and their difference.
 *
 * <p>The agent in the forked JVM runs as in production: OTLP http/protobuf export of spans and metrics to an
 * {@link OtlpNullSink} on loopback (in the fork), the JSONL ledger to a temporary file, default batching intervals.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.aicost.benchmarks.AgentOverhead \
 *     [--rounds 2] [--out benchmarks/results/agent-overhead-DATE.json] [--quick]
 * </pre>
 *
 * Target (issue 6): the added median time per call at most 20 µs and at most 3% of the call without the agent.
 */
public final class AgentOverhead {

  private AgentOverhead() {}

  public static void main(String[] args) throws Exception {
    int rounds = 2;
    boolean quick = false;
    Path out = Paths.get("benchmarks/results/agent-overhead-" + java.time.LocalDate.now() + ".json");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds":
          rounds = Integer.parseInt(args[++i]);
          break;
        case "--out":
          out = Paths.get(args[++i]);
          break;
        case "--quick":
          quick = true;
          break;
        default:
          throw new IllegalArgumentException("unknown argument " + args[i] + "; expected --rounds N, --out FILE, --quick");
      }
    }
    Path agent = BenchEnv.agentJar();
    Path work = Files.createTempDirectory("aicost-bench");
    String loadBefore = BenchEnv.loadAverage();

    Map<String, List<Statistics>> without = new TreeMap<>();
    Map<String, List<Statistics>> with = new TreeMap<>();
    List<Map<String, Object>> perRound = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("round", round);
      r.put("loadAverageBefore", BenchEnv.loadAverage());
      Collection<RunResult> a = run(quick, null, work, round, null);
      int port = OtlpNullSink.freePort();
      Collection<RunResult> b = run(quick, agent, work, round, port);
      r.put("loadAverageAfter", BenchEnv.loadAverage());
      r.put("withoutAgent", collect(a, without));
      r.put("withAgent", collect(b, with));
      perRound.add(r);
    }

    Map<String, Object> summary = new LinkedHashMap<>();
    for (String benchmark : without.keySet()) {
      Map<String, Object> s = new LinkedHashMap<>();
      double[] medA = percentiles(without.get(benchmark), 50);
      double[] medB = percentiles(with.get(benchmark), 50);
      double a50 = median(medA);
      double b50 = median(medB);
      s.put("unit", "us");
      s.put("withoutAgentMedianPerRound", toList(medA));
      s.put("withAgentMedianPerRound", toList(medB));
      s.put("withoutAgentMedian", a50);
      s.put("withAgentMedian", b50);
      s.put("addedMedianUs", b50 - a50);
      s.put("addedMedianPercent", 100 * (b50 - a50) / a50);
      s.put("withoutAgentP90", median(percentiles(without.get(benchmark), 90)));
      s.put("withAgentP90", median(percentiles(with.get(benchmark), 90)));
      s.put("withoutAgentP99", median(percentiles(without.get(benchmark), 99)));
      s.put("withAgentP99", median(percentiles(with.get(benchmark), 99)));
      s.put("targetMet", (b50 - a50) <= 20 && (b50 - a50) <= 0.03 * a50);
      summary.put(benchmark, s);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("benchmark", "OpenAiCallBenchmark via AgentOverhead");
    result.put("agentJar", agent.toString());
    result.put("agentJarBytes", Files.size(agent));
    result.put("machine", BenchEnv.machine());
    result.put("loadAverageBefore", loadBefore);
    result.put("loadAverageAfter", BenchEnv.loadAverage());
    result.put("summary", summary);
    result.put("rounds", perRound);
    BenchEnv.writeJson(out, result);
    System.out.println(BenchEnv.json(summary, ""));
    System.out.println("written: " + out.toAbsolutePath() + " (raw JMH results: " + work + ")");
  }

  private static Collection<RunResult> run(boolean quick, Path agent, Path work, int round, Integer port)
      throws RunnerException {
    List<String> jvmArgs = new ArrayList<>(Arrays.asList("-Xms512m", "-Xmx512m"));
    if (agent != null) {
      jvmArgs.add("-javaagent:" + agent);
      jvmArgs.add("-Daicost.ledger.path=" + work.resolve("ledger-" + round + ".jsonl"));
      jvmArgs.add("-Dotel.service.name=aicost-bench");
      jvmArgs.add("-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + port);
      jvmArgs.add("-Dotel.logs.exporter=none");
      jvmArgs.add("-D" + OpenAiCallBenchmark.OTLP_SINK_PORT + "=" + port);
    }
    String name = (agent == null ? "without-agent-" : "with-agent-") + round;
    ChainedOptionsBuilder o =
        new OptionsBuilder()
            .include(OpenAiCallBenchmark.class.getName())
            .forks(1)
            .jvmArgs(jvmArgs.toArray(new String[0]))
            .resultFormat(ResultFormatType.JSON)
            .result(work.resolve(name + ".json").toString());
    if (quick) {
      o.warmupIterations(2).warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1));
      o.measurementIterations(2).measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(2));
    }
    System.out.println("== " + name + (agent == null ? "" : " (" + agent + ")"));
    return new Runner(o.build()).run();
  }

  private static Map<String, Object> collect(Collection<RunResult> results, Map<String, List<Statistics>> into) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (RunResult r : results) {
      String label = r.getParams().getBenchmark();
      label = label.substring(label.lastIndexOf('.') + 1);
      Statistics st = r.getPrimaryResult().getStatistics();
      into.computeIfAbsent(label, k -> new ArrayList<>()).add(st);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("samples", st.getN());
      m.put("p50", st.getPercentile(50));
      m.put("p90", st.getPercentile(90));
      m.put("p99", st.getPercentile(99));
      m.put("mean", st.getMean());
      out.put(label, m);
    }
    return out;
  }

  private static double[] percentiles(List<Statistics> stats, double p) {
    double[] out = new double[stats.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = stats.get(i).getPercentile(p);
    }
    return out;
  }

  private static double median(double[] values) {
    return BenchEnv.percentile(values, 50);
  }

  private static List<Double> toList(double[] values) {
    List<Double> l = new ArrayList<>();
    for (double d : values) {
      l.add(d);
    }
    return l;
  }
}
