package dev.aicost.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
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
}
