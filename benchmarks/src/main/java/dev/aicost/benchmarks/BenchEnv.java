package dev.aicost.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where the agent jar is, and what the machine was doing: recorded next to every result. */
final class BenchEnv {

  private BenchEnv() {}

  /** The agent jar: {@code -Daicost.agent.jar}, else the build's output relative to the project root or benchmarks/. */
  static Path agentJar() {
    String configured = System.getProperty("aicost.agent.jar");
    if (configured != null) {
      return requireFile(Paths.get(configured), "-Daicost.agent.jar");
    }
    for (String candidate :
        new String[] {
          "javaagent/target/aicost-javaagent-0.1.0-SNAPSHOT.jar", "../javaagent/target/aicost-javaagent-0.1.0-SNAPSHOT.jar"
        }) {
      Path p = Paths.get(candidate);
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException(
        "agent jar not found: build it (mvn -B -q -pl javaagent -am package -DskipTests) and run from the project root,"
            + " or pass -Daicost.agent.jar=PATH");
  }

  static Path requireFile(Path p, String what) {
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(what + ": no such file " + p.toAbsolutePath());
    }
    return p.toAbsolutePath().normalize();
  }

  /** The p-th percentile of {@code values}, interpolated between the two nearest ranks; NaN for none. */
  static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    double rank = p / 100.0 * (v.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = (int) Math.ceil(rank);
    return v[lo] + (v[hi] - v[lo]) * (rank - lo);
  }

  /** The 1-, 5- and 15-minute load averages from /proc/loadavg (null elsewhere). */
  static String loadAverage() {
    try {
      String s = new String(Files.readAllBytes(Paths.get("/proc/loadavg"))).trim();
      String[] parts = s.split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpus", Runtime.getRuntime().availableProcessors());
    m.put("cpu", cpuModel());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("loadAverage", loadAverage());
    m.put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments());
    return m;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }

  /** A minimal JSON writer for maps, lists, strings, numbers and booleans (the results are small). */
  static String json(Object o, String indent) {
    StringBuilder b = new StringBuilder();
    write(b, o, indent);
    return b.toString();
  }

  private static void write(StringBuilder b, Object o, String indent) {
    if (o == null) {
      b.append("null");
    } else if (o instanceof Map) {
      b.append("{");
      String inner = indent + "  ";
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
        b.append(first ? "\n" : ",\n").append(inner);
        first = false;
        write(b, String.valueOf(e.getKey()), inner);
        b.append(": ");
        write(b, e.getValue(), inner);
      }
      b.append(first ? "}" : "\n" + indent + "}");
    } else if (o instanceof Iterable) {
      b.append("[");
      boolean first = true;
      for (Object x : (Iterable<?>) o) {
        b.append(first ? "" : ", ");
        first = false;
        write(b, x, indent);
      }
      b.append("]");
    } else if (o instanceof Number || o instanceof Boolean) {
      if (o instanceof Double && (((Double) o).isNaN() || ((Double) o).isInfinite())) {
        b.append("null");
      } else {
        b.append(o);
      }
    } else {
      String s = o.toString();
      b.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '"' || c == '\\') {
          b.append('\\').append(c);
        } else if (c < 0x20) {
          b.append(String.format("\\u%04x", (int) c));
        } else {
          b.append(c);
        }
      }
      b.append('"');
    }
  }

  static void writeJson(Path file, Object o) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(file, (json(o, "") + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The JVM arguments of a child application with the agent: OTLP to {@code sink}, the cost ledger to {@code ledger}
   * ({@code null}: off, as by default), then {@code extra} (settings passed with {@code --agent-arg}).
   */
  static List<String> agentJvmArgs(Path agent, OtlpNullSink sink, Path ledger, List<String> extra) {
    List<String> args = new ArrayList<>();
    args.add("-javaagent:" + agent);
    if (ledger != null) {
      args.add("-Daicost.ledger.path=" + ledger);
    }
    args.add("-Dotel.service.name=aicost-bench");
    args.add("-Dotel.exporter.otlp.endpoint=" + sink.endpoint());
    args.addAll(extra);
    return args;
  }

  /** Runs a child process to its end and returns its output lines (standard error included); fails on a non-zero exit. */
  static List<String> runChild(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (java.io.BufferedReader r =
        new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    }
    int exit = p.waitFor();
    if (exit != 0) {
      throw new IllegalStateException("child failed (exit " + exit + "): " + cmd + "\n" + String.join("\n", lines));
    }
    return lines;
  }

  /**
   * CPU time of every thread of this process, the JIT compilers and GC included, summed per thread group (the name
   * without its number), from Linux's per-thread scheduler statistics (nanoseconds); empty elsewhere. Threads that
   * ended between two readings are not counted.
   */
  static Map<String, Long> threadCpuByGroup() {
    Map<String, Long> byGroup = new java.util.TreeMap<>();
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) {
      return byGroup;
    }
    for (java.io.File task : tasks) {
      try {
        String name = new String(Files.readAllBytes(task.toPath().resolve("comm")), java.nio.charset.StandardCharsets.UTF_8).trim();
        String schedstat = new String(Files.readAllBytes(task.toPath().resolve("schedstat")), java.nio.charset.StandardCharsets.UTF_8);
        long runNanos = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
        String group = name.replaceAll("[#\\d]+$", "").trim().replace(' ', '_').replace('=', '_');
        byGroup.merge(group, runNanos, Long::sum);
      } catch (IOException | RuntimeException threadEnded) {
        // gone between the listing and the reading
      }
    }
    return byGroup;
  }

  /** {@code " cpuUs[group]=N"} for every thread group that ran between the two readings, per call. */
  static String threadCpuPerCall(Map<String, Long> before, Map<String, Long> after, long calls) {
    StringBuilder perThread = new StringBuilder();
    for (Map.Entry<String, Long> e : after.entrySet()) {
      long used = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      if (used > 0) {
        perThread.append(String.format(" cpuUs[%s]=%.2f", e.getKey(), used / 1e3 / calls));
      }
    }
    return perThread.toString();
  }
}
