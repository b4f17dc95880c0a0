package dev.aicost.benchmarks;

import dev.aicost.benchmarks.paired.ClientCalls;
import dev.aicost.testing.MockOpenAiServer;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What the agent adds to a real openai-java call, measured as a <em>paired</em> comparison inside one application JVM.
 *
 * <p>{@link CallCost} compares separate JVMs with and without {@code -javaagent}. Two JVMs started the same way differ
 * by tens of microseconds per call at the median on a small machine (JIT decisions, code and heap layout), more than
 * the target, so that comparison cannot show a difference of a few microseconds. Here one child JVM, started with the
 * agent, holds three copies of openai-java and all its dependencies, each defined by its own class loader:
 * {@code metered} (a {@link MeteredCopy}, which the agent instruments as any application loader) and
 * {@code unmetered} and {@code unmetered-again} ({@link UnmeteredCopy}, which {@code aicost.exclude-class-loaders}
 * names, so their classes are left exactly as shipped). The child makes blocks of calls through each copy in turn,
 * rotating the order every cycle, so the three copies share the JVM, the machine's state at that moment, the agent's
 * JDK instrumentation and its threads. Per cycle it keeps each block's median; the added time is the median over
 * cycles of (metered - unmetered), with a bootstrap 95 % confidence interval, and unmetered-again - unmetered is
 * the same statistic for two copies the agent treats alike: the harness's own noise (an A/A pair). A child without
 * the agent ({@code none}) runs the same blocks, so that copy against copy without any agent is measured too.
 *
 * <p>The JIT compiles each copy on its own, and two copies of the same code can settle a few tens of microseconds
 * apart for the whole life of a JVM, as two JVMs do: within one child that difference is fixed, so the A/A pair's
 * interval may well exclude zero. Every child draws its copies anew, so the run repeats the child
 * ({@code --children}, default 6, configurations interleaved) and reports the mean over children with a Student's t
 * interval: the figure the target is judged by.
 *
 * <p>Between blocks the child sleeps {@code --gap-ms} (default 150 ms, more than the agent's 100 ms completion
 * linger), so that the background work a metered block causes (completing the calls, the ledger, export) runs in the
 * gap and not during the next copy's block. That background work is reported separately, as CPU time of the agent's
 * threads per metered call: on a machine with idle cores it costs the call nothing; on a saturated one it is time
 * taken from the application. {@code --gap-ms 0} runs the blocks back to back instead.
 *
 * <p>{@code --other-agent PATH} adds the configuration {@code other-agent}: another agent jar (an earlier build, say)
 * as {@code -javaagent} alone configures it, in children interleaved with this jar's, so that two builds are compared
 * under the same machine state rather than in runs hours apart. The summary then has {@code aicost-no-ledger} less
 * {@code other-agent} (Welch's interval over children).
 *
 * <p>For the {@code aicost} configuration the child writes the cost ledger, and the run fails unless the ledger has
 * exactly one line per call made through the metered copy: proof that the metered copy was metered and the others
 * were not.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.aicost.benchmarks.PairedCallCost \
 *     [--children 6] [--cycles 100] [--block 400] [--warmup 20000] [--gap-ms 150] [--configs aicost,aicost-no-ledger,none]
 *     [--other-agent PATH] [--agent-arg -Dname=value] [--out benchmarks/results/paired-call-cost-DATE.json]
 * </pre>
 *
 * Target (issue 6, item 1): the added median time per call at most 20 µs and at most 3 % of the call without the
 * agent.
 */
public final class PairedCallCost {

  private static final String RESULT = "PAIRED ";
  private static final String THREADS = "PAIRED_THREADS ";
  private static final String[] MODES = {"sync", "streaming"};
  static final String[] COPIES = {"metered", "unmetered", "unmetered-again"};
  private static final String[] CONFIGS = {"aicost", "aicost-no-ledger", "none"};
  /** The configuration that runs {@code --other-agent}'s jar instead of this build's. */
  private static final String OTHER_AGENT = "other-agent";

  /** The class loader of the copy the agent instruments: an ordinary application loader. */
  public static final class MeteredCopy extends URLClassLoader {
    MeteredCopy(URL[] urls) {
      super("metered", urls, ClassLoader.getPlatformClassLoader());
    }
  }

  /** The class loader of the copies the agent leaves alone: named in {@code aicost.exclude-class-loaders}. */
  public static final class UnmeteredCopy extends URLClassLoader {
    UnmeteredCopy(String name, URL[] urls) {
      super(name, urls, ClassLoader.getPlatformClassLoader());
    }
  }

  private PairedCallCost() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
          Long.parseLong(args[5]), Integer.parseInt(args[6]));
      return;
    }
    int replicates = 6;
    int cycles = 100;
    int block = 400;
    HarnessOptions options = new HarnessOptions(20_000, "paired-call-cost");
    long gapMs = 150;
    List<String> configs = Arrays.asList(CONFIGS);
    Path otherAgent = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--children":
          replicates = positive("--children", args[++i]);
          break;
        case "--cycles":
          cycles = positive("--cycles", args[++i]);
          break;
        case "--block":
          block = positive("--block", args[++i]);
          break;
        case "--gap-ms":
          gapMs = Long.parseLong(args[++i]);
          break;
        case "--configs":
          configs = Arrays.asList(args[++i].split(","));
          break;
        case "--other-agent":
          otherAgent = BenchEnv.requireFile(Paths.get(args[++i]), "--other-agent");
          break;
        default:
          int value = options.parse(args, i);
          if (value < 0) {
            throw new IllegalArgumentException(
                "unknown argument " + args[i] + "; expected --children N, --cycles N, --block N, --gap-ms N, "
                    + HarnessOptions.USAGE + ", --configs " + String.join(",", CONFIGS));
          }
          i = value;
      }
    }
    List<String> known = new ArrayList<>(Arrays.asList(CONFIGS));
    if (otherAgent != null) {
      known.add(OTHER_AGENT);
      if (!configs.contains(OTHER_AGENT)) {
        configs = new ArrayList<>(configs);
        configs.add(OTHER_AGENT);
      }
    }
    if (!known.containsAll(configs)) {
      throw new IllegalArgumentException(
          "--configs takes some of " + String.join(",", known) + " (" + OTHER_AGENT + " with --other-agent PATH), was "
              + configs);
    }
    int warmup = options.warmup;
    Path agent = BenchEnv.agentJar();
    Path work = Files.createTempDirectory("aicost-paired-call-cost");
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String loadBefore = BenchEnv.loadAverage();
    // per configuration: each child's summary, in the order run
    Map<String, List<Map<String, Object>>> children = new LinkedHashMap<>();
    try (MockOpenAiServer server = MockOpenAiServer.start();
        OtlpNullSink sink = OtlpNullSink.start(0)) {
      for (int rep = 1; rep <= replicates; rep++) {
        for (String config : configs) {
          List<String> cmd = new ArrayList<>(Arrays.asList(java, "-Xms512m", "-Xmx512m"));
          Path ledger = work.resolve("ledger-" + config + "-" + rep + ".jsonl");
          if (!config.equals("none")) {
            cmd.add("-Daicost.exclude-class-loaders=" + UnmeteredCopy.class.getName());
            cmd.addAll(BenchEnv.agentJvmArgs(config.equals(OTHER_AGENT) ? otherAgent : agent, sink,
                config.equals("aicost") ? ledger : null, options.agentArgs));
          }
          cmd.addAll(Arrays.asList("-cp", System.getProperty("java.class.path"), PairedCallCost.class.getName(),
              "--child", server.baseUrl(), Integer.toString(warmup), Integer.toString(cycles), Integer.toString(block),
              Long.toString(gapMs), Integer.toString((rep - 1) % COPIES.length)));
          Map<String, Object> c = new LinkedHashMap<>();
          c.put("child", rep);
          c.put("firstCopy", COPIES[(rep - 1) % COPIES.length]);
          c.put("loadAverageAtStart", BenchEnv.loadAverage());
          Map<String, Map<String, Map<String, Object>>> child = runChild(cmd);
          server.reset();
          if (config.equals("aicost")) {
            c.put("ledger", checkLedger(ledger, meteredCalls(warmup, cycles, block)));
          }
          for (String mode : MODES) {
            c.put(mode, summary(child.get(mode)));
          }
          c.put("copies", child);
          children.computeIfAbsent(config, k -> new ArrayList<>()).add(c);
          System.out.printf("child %d/%d %s: %s%n", rep, replicates, config, brief(c));
        }
      }
      Map<String, Object> summary = new LinkedHashMap<>();
      for (Map.Entry<String, List<Map<String, Object>>> e : children.entrySet()) {
        Map<String, Object> s = new LinkedHashMap<>();
        for (String mode : MODES) {
          s.put(mode, overChildren(e.getValue(), mode));
        }
        summary.put(e.getKey(), s);
      }
      if (children.containsKey("none")) {
        for (Map.Entry<String, List<Map<String, Object>>> e : children.entrySet()) {
          if (!e.getKey().equals("none")) {
            for (String mode : MODES) {
              addOverNone(summary, e.getKey(), mode);
            }
          }
        }
      }
      if (children.containsKey(OTHER_AGENT) && children.containsKey("aicost-no-ledger")) {
        Map<String, Object> s = new LinkedHashMap<>();
        for (String mode : MODES) {
          Map<String, Object> thisJar = modeSummary(summary, "aicost-no-ledger", mode);
          Map<String, Object> otherJar = modeSummary(summary, OTHER_AGENT, mode);
          Map<String, Object> m = new LinkedHashMap<>();
          for (String figure : new String[] {"addedUs", "callingThreadCpuAddedUs", "agentThreadsCpuUsPerMeteredCall"}) {
            m.put(figure, welchDifference(thisJar, otherJar, figure));
          }
          s.put(mode, m);
        }
        summary.put("aicost-no-ledger less " + OTHER_AGENT, s);
      }
      Map<String, Object> result =
          options.resultHeader(
              "PairedCallCost: openai-java chat completions through a metered and two unmetered copies of the client"
                  + " in one child JVM, mock server in the parent",
              agent);
      if (otherAgent != null) {
        result.put("otherAgentJar", otherAgent.toString());
        result.put("otherAgentJarBytes", Files.size(otherAgent));
      }
      result.put("childrenPerConfig", replicates);
      result.put("warmupCallsPerCopy", Map.of("sync", warmup, "streaming", warmup / 4));
      result.put("cycles", cycles);
      result.put("callsPerBlock", Map.of("sync", block, "streaming", streamedBlock(block)));
      result.put("gapBetweenBlocksMs", gapMs);
      options.finish(result, loadBefore, sink, summary);
      result.put("children", children);
      BenchEnv.writeJson(options.out, result);
      System.out.println(BenchEnv.json(summary, ""));
      System.out.println("written: " + options.out.toAbsolutePath());
    }
  }

  /** The ledger must have one line per call made through the metered copy: the copies were metered as set up. */
  private static Map<String, Object> checkLedger(Path ledger, long expected) throws IOException {
    long lines;
    try (java.util.stream.Stream<String> l = Files.lines(ledger)) {
      lines = l.count();
    }
    if (lines != expected) {
      throw new IllegalStateException(
          "the ledger has " + lines + " lines, expected one per call through the metered copy (" + expected
              + "): the copies were not metered as set up");
    }
    Map<String, Object> check = new LinkedHashMap<>();
    check.put("lines", lines);
    check.put("meteredCalls", expected);
    return check;
  }

  private static String brief(Map<String, Object> child) {
    StringBuilder b = new StringBuilder();
    for (String mode : MODES) {
      @SuppressWarnings("unchecked")
      Map<String, Object> s = (Map<String, Object>) child.get(mode);
      b.append(String.format("%s added %s noise %s µs; ", mode, ((Map<?, ?>) s.get("addedUs")).get("median"),
          ((Map<?, ?>) s.get("noiseUs")).get("median")));
    }
    return b.toString();
  }

  /**
   * One mode over the children of a configuration. Each child's copies are compiled by the JIT on their own, so two
   * copies the agent treats alike still differ (the A/A {@code noise}); every child draws them anew, and the mean
   * over children of (metered - unmetered) converges on what the agent adds. The interval is Student's t over the
   * children's medians.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> overChildren(List<Map<String, Object>> children, String mode) {
    int n = children.size();
    double[] added = new double[n];
    double[] noise = new double[n];
    double[] base = new double[n];
    double[] cpuAdded = new double[n];
    double[] cpuNoise = new double[n];
    double[] bytesAdded = new double[n];
    double[] agentThreads = new double[n];
    for (int i = 0; i < n; i++) {
      Map<String, Object> s = (Map<String, Object>) children.get(i).get(mode);
      added[i] = (Double) ((Map<String, Object>) s.get("addedUs")).get("median");
      noise[i] = (Double) ((Map<String, Object>) s.get("noiseUs")).get("median");
      base[i] = (Double) s.get("unmeteredP50Us");
      cpuAdded[i] = (Double) s.get("callingThreadCpuAddedUs");
      cpuNoise[i] = (Double) s.get("callingThreadCpuNoiseUs");
      bytesAdded[i] = (Double) s.get("callingThreadBytesAdded");
      agentThreads[i] = (Double) s.get("agentThreadsCpuUsPerMeteredCall");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("children", n);
    m.put("unmeteredP50Us", meanAndInterval(base));
    Map<String, Object> a = meanAndInterval(added);
    m.put("addedUs", a);
    m.put("noiseUs", meanAndInterval(noise));
    double baseMean = (Double) ((Map<String, Object>) m.get("unmeteredP50Us")).get("mean");
    m.put("addedPercent", round(100 * (Double) a.get("mean") / baseMean));
    Object high = a.get("ci95High");
    m.put("targetMet", high instanceof Double && HarnessOptions.withinCallTarget((Double) high, baseMean));
    m.put("callingThreadCpuAddedUs", meanAndInterval(cpuAdded));
    m.put("callingThreadCpuNoiseUs", meanAndInterval(cpuNoise));
    m.put("callingThreadBytesAdded", meanAndInterval(bytesAdded));
    m.put("agentThreadsCpuUsPerMeteredCall", meanAndInterval(agentThreads));
    return m;
  }

  /**
   * The configuration's added time less what the same harness finds without any agent ({@code none}: metered and
   * unmetered copies both plain), so that whatever favours one copy over another in this design cancels out:
   * difference of the two means, Welch's 95 % interval. The target is judged on this figure as well.
   */
  @SuppressWarnings("unchecked")
  private static void addOverNone(Map<String, Object> summary, String config, String mode) {
    Map<String, Object> with = modeSummary(summary, config, mode);
    Map<String, Object> d = welchDifference(with, modeSummary(summary, "none", mode), "addedUs");
    if (d.containsKey("ci95High")) {
      double base = (Double) ((Map<String, Object>) with.get("unmeteredP50Us")).get("mean");
      with.put("addedOverNoneTargetMet", HarnessOptions.withinCallTarget((Double) d.get("ci95High"), base));
    }
    with.put("addedOverNoneUs", d);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> modeSummary(Map<String, Object> summary, String config, String mode) {
    return (Map<String, Object>) ((Map<String, Object>) summary.get(config)).get(mode);
  }

  /** One figure of a configuration less another's: difference of the means over children, Welch's 95 % interval. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> welchDifference(Map<String, Object> first, Map<String, Object> second, String figure) {
    double[] a = values((Map<String, Object>) first.get(figure));
    double[] b = values((Map<String, Object>) second.get(figure));
    double ma = Arrays.stream(a).average().orElse(Double.NaN);
    double mb = Arrays.stream(b).average().orElse(Double.NaN);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("mean", round(ma - mb));
    if (a.length >= 2 && b.length >= 2) {
      double va = variance(a, ma) / a.length;
      double vb = variance(b, mb) / b.length;
      double df = (va + vb) * (va + vb) / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
      int dof = Math.max(1, (int) Math.floor(df));
      double half = T_975[Math.min(dof, T_975.length) - 1] * Math.sqrt(va + vb);
      d.put("ci95Low", round(ma - mb - half));
      d.put("ci95High", round(ma - mb + half));
    }
    return d;
  }

  private static double[] values(Map<String, Object> meanAndInterval) {
    return ((List<?>) meanAndInterval.get("values")).stream().mapToDouble(v -> (Double) v).toArray();
  }

  private static double variance(double[] values, double mean) {
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    return ss / (values.length - 1);
  }

  /** Mean, per-child values, and a 95 % Student's t interval of the mean (none for fewer than two values). */
  static Map<String, Object> meanAndInterval(double[] values) {
    int n = values.length;
    double mean = Arrays.stream(values).average().orElse(Double.NaN);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mean", round(mean));
    if (n >= 2) {
      double half = T_975[Math.min(n - 1, T_975.length) - 1] * Math.sqrt(variance(values, mean) / n);
      m.put("ci95Low", round(mean - half));
      m.put("ci95High", round(mean + half));
    }
    m.put("values", Arrays.stream(values).map(PairedCallCost::round).boxed().collect(java.util.stream.Collectors.toList()));
    return m;
  }

  /** Student's t, two-sided 95 %, for 1 to 30 degrees of freedom (the last also used beyond). */
  private static final double[] T_975 = {
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
    2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042
  };

  private static int positive(String option, String value) {
    int n = Integer.parseInt(value);
    if (n <= 0) {
      throw new IllegalArgumentException(option + " must be positive, was " + n);
    }
    return n;
  }

  /** A streamed call takes about three blocking ones: a quarter as many per block keeps the blocks alike in time. */
  private static int streamedBlock(int block) {
    return Math.max(1, block / 4);
  }

  private static long meteredCalls(int warmup, int cycles, int block) {
    return warmup + (long) cycles * block + warmup / 4 + (long) cycles * streamedBlock(block);
  }

  /**
   * One mode's comparison: each copy's median over all its calls, and per cycle the block medians' differences
   * metered - unmetered ({@code added}) and unmetered-again - unmetered ({@code noise}), as a median with a 95 %
   * bootstrap interval. Within one child that interval leaves out how its copies happened to be compiled, so the
   * target is judged over children ({@link #overChildren}), not here.
   */
  private static Map<String, Object> summary(Map<String, Map<String, Object>> copies) {
    Map<String, Object> s = new LinkedHashMap<>();
    double[] metered = blockMedians(copies.get("metered"));
    double[] unmetered = blockMedians(copies.get("unmetered"));
    double[] again = blockMedians(copies.get("unmetered-again"));
    double base = (Double) copies.get("unmetered").get("p50Us");
    for (String copy : COPIES) {
      s.put(copy + "P50Us", copies.get(copy).get("p50Us"));
    }
    Map<String, Object> added = pairedDifference(metered, unmetered);
    s.put("addedUs", added);
    s.put("noiseUs", pairedDifference(again, unmetered));
    s.put("addedPercent", round(100 * (Double) added.get("median") / base));
    s.put("callingThreadCpuAddedUs",
        (Double) copies.get("metered").get("callingThreadCpuUs") - (Double) copies.get("unmetered").get("callingThreadCpuUs"));
    s.put("callingThreadCpuNoiseUs",
        (Double) copies.get("unmetered-again").get("callingThreadCpuUs") - (Double) copies.get("unmetered").get("callingThreadCpuUs"));
    s.put("callingThreadBytesAdded",
        (Double) copies.get("metered").get("callingThreadBytes") - (Double) copies.get("unmetered").get("callingThreadBytes"));
    s.put("agentThreadsCpuUsPerMeteredCall", copies.get("threads").get("agent"));
    return s;
  }

  private static double[] blockMedians(Map<String, Object> copy) {
    return Arrays.stream(((String) copy.get("blockMediansUs")).split(";")).mapToDouble(Double::parseDouble).toArray();
  }

  /** Median over cycles of {@code a[c] - b[c]}, with a 95 % percentile-bootstrap interval (2,000 resamples, fixed seed). */
  static Map<String, Object> pairedDifference(double[] a, double[] b) {
    double[] d = new double[a.length];
    for (int c = 0; c < d.length; c++) {
      d[c] = a[c] - b[c];
    }
    Random random = new Random(42);
    double[] medians = new double[2000];
    double[] resample = new double[d.length];
    for (int r = 0; r < medians.length; r++) {
      for (int i = 0; i < d.length; i++) {
        resample[i] = d[random.nextInt(d.length)];
      }
      medians[r] = BenchEnv.percentile(resample, 50);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("median", round(BenchEnv.percentile(d, 50)));
    m.put("ci95Low", round(BenchEnv.percentile(medians, 2.5)));
    m.put("ci95High", round(BenchEnv.percentile(medians, 97.5)));
    m.put("cycles", d.length);
    m.put("cyclesAbove", Arrays.stream(d).filter(x -> x > 0).count());
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /** The child's result lines, by mode, then copy (and {@code threads}), then field. */
  private static Map<String, Map<String, Map<String, Object>>> runChild(List<String> cmd)
      throws IOException, InterruptedException {
    List<String> output = BenchEnv.runChild(cmd);
    Map<String, Map<String, Map<String, Object>>> result = new LinkedHashMap<>();
    for (String line : output) {
      boolean copy = line.startsWith(RESULT);
      if (copy || line.startsWith(THREADS)) {
        String[] parts = line.substring(copy ? RESULT.length() : THREADS.length()).split(" ");
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = copy ? 2 : 1; i < parts.length; i++) {
          String[] kv = parts[i].split("=", 2);
          fields.put(kv[0], kv[0].equals("blockMediansUs") ? kv[1] : (Object) Double.parseDouble(kv[1]));
        }
        result.computeIfAbsent(parts[0], k -> new LinkedHashMap<>()).put(copy ? parts[1] : "threads", fields);
      }
    }
    if (result.size() != MODES.length) {
      throw new IllegalStateException("child reported " + result.keySet() + ": " + cmd + "\n" + String.join("\n", output));
    }
    return result;
  }

  // ---- the child: the application, with three copies of the client ----

  /**
   * @param first the copy created, loaded and warmed first: the child's number modulo three, so that over a run each
   *     copy is first equally often (a first copy's classes are loaded and compiled before the others': without
   *     any agent, the copy always made first came out ~3 µs faster in 5 of 6 children)
   */
  private static void child(String baseUrl, int warmup, int cycles, int block, long gapMs, int first) throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(Paths.get(entry).toUri().toURL());
    }
    URL[] classpath = urls.toArray(new URL[0]);
    Runnable[][] copies = new Runnable[COPIES.length][];
    for (int k = 0; k < COPIES.length; k++) {
      int copy = (first + k) % COPIES.length;
      URLClassLoader loader =
          copy == 0 ? new MeteredCopy(classpath) : new UnmeteredCopy(COPIES[copy], classpath);
      copies[copy] = calls(loader, baseUrl);
    }
    measure("sync", 0, copies, first, warmup, cycles, block, gapMs);
    measure("streaming", 1, copies, first, warmup / 4, cycles, streamedBlock(block), gapMs);
    for (Runnable[] copy : copies) {
      copy[2].run();
    }
  }

  /** The copy's {@link ClientCalls}: its own openai-java, OkHttp, Kotlin and Jackson. */
  private static Runnable[] calls(URLClassLoader copy, String baseUrl) throws ReflectiveOperationException {
    Class<?> calls = Class.forName(ClientCalls.class.getName(), true, copy);
    if (calls.getClassLoader() != copy) {
      throw new IllegalStateException("not a copy: " + calls.getClassLoader());
    }
    return (Runnable[]) calls.getMethod("against", String.class).invoke(null, baseUrl);
  }

  private static void measure(
      String mode, int which, Runnable[][] copies, int first, int warmup, int cycles, int block, long gapMs)
      throws InterruptedException {
    for (int done = 0; done < warmup; done += block) { // interleaved, so the JIT sees every copy alike
      for (int k = 0; k < copies.length; k++) {
        Runnable call = copies[(first + k) % copies.length][which];
        for (int i = 0; i < Math.min(block, warmup - done); i++) {
          call.run();
        }
      }
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    int n = copies.length;
    long[][] nanos = new long[n][cycles * block];
    double[][] blockMedians = new double[n][cycles];
    long[] cpu = new long[n];
    long[] bytes = new long[n];
    long[] slice = new long[block];
    Map<String, Long> threadCpu0 = BenchEnv.threadCpuByGroup();
    for (int c = 0; c < cycles; c++) {
      for (int k = 0; k < n; k++) {
        int copy = (first + c + k) % n; // each copy first, second and third equally often
        if (gapMs > 0) {
          Thread.sleep(gapMs);
        }
        Runnable call = copies[copy][which];
        long cpu0 = threads.getCurrentThreadCpuTime();
        long alloc0 = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < block; i++) {
          long t = System.nanoTime();
          call.run();
          slice[i] = System.nanoTime() - t;
        }
        cpu[copy] += threads.getCurrentThreadCpuTime() - cpu0;
        bytes[copy] += threads.getThreadAllocatedBytes(tid) - alloc0;
        System.arraycopy(slice, 0, nanos[copy], c * block, block);
        Arrays.sort(slice);
        blockMedians[copy][c] = slice[block / 2] / 1e3;
      }
    }
    if (gapMs > 0) {
      Thread.sleep(gapMs); // the last metered block's background work
    }
    Map<String, Long> threadCpu1 = BenchEnv.threadCpuByGroup();
    long callsPerCopy = (long) cycles * block;
    for (int copy = 0; copy < n; copy++) {
      long[] all = nanos[copy];
      Arrays.sort(all);
      StringBuilder medians = new StringBuilder();
      for (double m : blockMedians[copy]) {
        medians.append(medians.length() == 0 ? "" : ";").append(String.format("%.2f", m));
      }
      System.out.printf(
          "%s%s %s p50Us=%.2f p90Us=%.2f meanUs=%.2f callingThreadCpuUs=%.2f callingThreadBytes=%.0f blockMediansUs=%s%n",
          RESULT, mode, COPIES[copy], all[all.length / 2] / 1e3, all[(int) (all.length * 0.9)] / 1e3,
          Arrays.stream(all).average().orElse(0) / 1e3, cpu[copy] / 1e3 / callsPerCopy,
          (double) bytes[copy] / callsPerCopy, medians);
    }
    long agent = 0;
    for (Map.Entry<String, Long> e : threadCpu1.entrySet()) {
      if (isAgentThread(e.getKey())) {
        agent += e.getValue() - threadCpu0.getOrDefault(e.getKey(), 0L);
      }
    }
    String perThread = BenchEnv.threadCpuPerCall(threadCpu0, threadCpu1, callsPerCopy);
    // per call through the metered copy: the other copies' calls cause none of the agent's work
    System.out.printf("%s%s agent=%.2f%s%n", THREADS, mode, agent / 1e3 / callsPerCopy, perThread);
  }

  /** The agent's threads: its own, and its OpenTelemetry SDK's span and metric workers (the child has no other SDK). */
  private static boolean isAgentThread(String group) {
    return group.startsWith("aicost") || group.startsWith("BatchSpanProces") || group.startsWith("PeriodicMetricR");
  }
}
