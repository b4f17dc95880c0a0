package dev.aicost.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The options and operands of one command: {@code --name value}, {@code --name=value}, flags and positionals. */
final class CommandLine {

  private final String command;
  private final Map<String, String> options = new LinkedHashMap<>();
  private final List<String> positionals = new ArrayList<>();

  private CommandLine(String command) {
    this.command = command;
  }

  /**
   * @param valued options that take a value (without the leading {@code --})
   * @param flags options that take none; {@code --help} and {@code -h} are always accepted
   */
  static CommandLine parse(String command, List<String> args, Set<String> valued, Set<String> flags)
      throws UsageError {
    CommandLine cl = new CommandLine(command);
    boolean optionsEnded = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (optionsEnded || !a.startsWith("-") || a.equals("-")) {
        cl.positionals.add(a);
        continue;
      }
      if (a.equals("--")) {
        optionsEnded = true;
        continue;
      }
      if (a.equals("-h") || a.equals("--help")) {
        cl.options.put("help", "");
        continue;
      }
      if (!a.startsWith("--")) {
        throw new UsageError(command, "unknown option " + a + " (options are written --name)");
      }
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.size() || (args.get(i + 1).startsWith("--") && args.get(i + 1).length() > 2)) {
            throw new UsageError(command, "option --" + name + " needs a value");
          }
          value = args.get(++i);
        }
      } else if (flags.contains(name)) {
        if (value != null) {
          throw new UsageError(command, "option --" + name + " takes no value");
        }
        value = "";
      } else {
        Set<String> known = new LinkedHashSet<>(valued);
        known.addAll(flags);
        String suggestion = closest(name, known);
        throw new UsageError(
            command, "unknown option --" + name + (suggestion == null ? "" : " (did you mean --" + suggestion + "?)"));
      }
      if (cl.options.put(name, value) != null) {
        throw new UsageError(command, "option --" + name + " given twice");
      }
    }
    return cl;
  }

  static Set<String> names(String... names) {
    return new LinkedHashSet<>(Arrays.asList(names));
  }

  String command() {
    return command;
  }

  boolean help() {
    return options.containsKey("help");
  }

  String option(String name) {
    return options.get(name);
  }

  String option(String name, String fallback) {
    String v = options.get(name);
    return v == null ? fallback : v;
  }

  boolean flag(String name) {
    return options.containsKey(name);
  }

  List<String> positionals() {
    return Collections.unmodifiableList(positionals);
  }

  /** A non-negative whole number, accepting {@code _} and {@code ,} as digit separators. */
  long count(String name) throws UsageError {
    String v = options.get(name);
    if (v == null) {
      return 0;
    }
    String digits = v.replace("_", "").replace(",", "");
    if (!digits.matches("[0-9]{1,18}")) {
      throw new UsageError(command, "--" + name + " must be a whole number >= 0, was '" + v + "'");
    }
    return Long.parseLong(digits);
  }

  private static String closest(String name, Set<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(name, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return bestDistance <= 2 ? best : null;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
