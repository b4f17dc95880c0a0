package dev.aicost.testing;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Main classes that {@link ForkedJvmTest} runs in child JVMs. */
final class ForkedMains {
  private ForkedMains() {}

  /** Prints what it was given; exits with {@code args[0]} if that is a number. */
  static final class Echo {
    public static void main(String[] args) {
      System.out.println("args=" + String.join(",", args));
      System.out.println("prop=" + System.getProperty("forked.prop"));
      System.out.println("env=" + System.getenv("FORKED_ENV"));
      System.out.println("removed=" + System.getenv("FORKED_REMOVED"));
      System.out.println("agent=" + System.getProperty("test.agent.args"));
      System.out.println("java.home=" + System.getProperty("java.home"));
      System.err.println("to stderr");
      System.out.print("tail without newline");
      System.out.flush();
      if (args.length > 0 && args[0].matches("-?\\d+")) {
        System.exit(Integer.parseInt(args[0]));
      }
    }
  }

  /** Prints "ready" and sleeps; with "spawn", first starts a grandchild JVM (another Sleeper) and prints its pid. */
  static final class Sleeper {
    public static void main(String[] args) throws Exception {
      if (args.length > 0 && args[0].equals("spawn")) {
        Process grandchild = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
            System.getProperty("java.class.path"), Sleeper.class.getName())
            .inheritIO()
            .start();
        System.out.println("grandchild=" + grandchild.pid());
      }
      System.out.println("ready");
      System.out.flush();
      TimeUnit.SECONDS.sleep(120);
    }
  }

  /** A java agent: records its arguments in a system property for {@link Echo} to print. */
  static final class TestAgent {
    public static void premain(String args) {
      System.setProperty("test.agent.args", String.valueOf(args));
    }
  }
}
