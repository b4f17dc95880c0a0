package dev.aicost.benchmarks;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link CallCost} and {@link PairedCallCost} share: the options {@code --warmup N}, {@code --out FILE} and
 * {@code --agent-arg -Dx=y}, and the fields their result files open and close with.
 */
final class HarnessOptions {

  static final String USAGE = "--warmup N, --out FILE, --agent-arg -Dx=y";

  /**
   * Issue 6, item 1: what the agent adds to a call's median at most 20 µs and at most 3 % of the call without it.
   * Given an upper bound of the added time, whether the target holds.
   */
  static boolean withinCallTarget(double addedUs, double withoutAgentUs) {
    return addedUs <= 20 && addedUs <= 0.03 * withoutAgentUs;
  }

  int warmup;
  Path out;
  final List<String> agentArgs = new ArrayList<>();

  HarnessOptions(int warmup, String resultName) {
    this.warmup = warmup;
    this.out = Paths.get("benchmarks/results/" + resultName + "-" + java.time.LocalDate.now() + ".json");
  }

  /** Reads {@code args[i]} and its value if it is one of these options: the index of the value, else -1. */
  int parse(String[] args, int i) {
    if (i + 1 >= args.length) {
      return -1;
    }
    switch (args[i]) {
      case "--warmup":
        warmup = Integer.parseInt(args[i + 1]);
        return i + 1;
      case "--out":
        out = Paths.get(args[i + 1]);
        return i + 1;
      case "--agent-arg":
        agentArgs.add(args[i + 1]);
        return i + 1;
      default:
        return -1;
    }
  }

  /** The result's first fields: what ran, with which agent jar and settings. */
  Map<String, Object> resultHeader(String benchmark, Path agent) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("benchmark", benchmark);
    result.put("agentJar", agent.toString());
    result.put("agentArgs", agentArgs);
    return result;
  }

  /** Appends the machine, its load before and after, what the OTLP sink received, and the summary. */
  void finish(Map<String, Object> result, String loadBefore, OtlpNullSink sink, Object summary) {
    result.put("machine", BenchEnv.machine());
    result.put("loadAverageBefore", loadBefore);
    result.put("loadAverageAfter", BenchEnv.loadAverage());
    result.put("otlpExportsReceived", sink.requests());
    result.put("summary", summary);
  }
}
