package dev.aicost.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs a Java main class in a child JVM — for agent tests ({@code -javaagent:}) and anything that needs a fresh
 * process. Built with {@link #builder(String)}; {@link #run()} blocks and returns a {@link Result}, {@link #start()}
 * returns a {@link Running} handle for long-lived children (servers, demos).
 *
 * <p>Defaults: the java executable is {@code System.getProperty("aicost.it.java")} if set, else the current JVM's
 * {@code bin/java}; the class path is the current JVM's {@code java.class.path}; the environment is inherited; the
 * timeout is 60 s. Output is captured in full and also echoed, line by line, to this JVM's stdout/stderr prefixed with
 * {@code [name] } / {@code [name:err] } so a failing test's log shows what the child said. A child still running at
 * the timeout is killed together with its descendants and {@link #run()} throws {@link TimeoutError} carrying the
 * output captured so far.
 *
 * <pre>{@code
 * ForkedJvm.Result result = ForkedJvm.builder("com.example.App")
 *     .javaagent(Path.of("javaagent/target/aicost-javaagent.jar"), "debug=true")
 *     .systemProperty("aicost.exporter.otlp.endpoint", otlp.httpEndpoint())
 *     .env("OPENAI_BASE_URL", openAi.baseUrl())
 *     .timeout(Duration.ofSeconds(30))
 *     .build()
 *     .run()
 *     .assertSuccess();
 * }</pre>
 */
public final class ForkedJvm {

  /** System property naming the java executable to fork (set by the build to test against another JDK). */
  public static final String JAVA_PROPERTY = "aicost.it.java";

  private final String name;
  private final Path java;
  private final List<String> jvmArgs;
  private final List<String> javaagents;
  private final Map<String, String> systemProperties;
  private final Map<String, String> env;
  private final Set<String> removedEnv;
  private final String classpath;
  private final String mainClass;
  private final List<String> args;
  private final Duration timeout;
  private final Path workingDirectory;
  private final PrintStream echoOut;
  private final PrintStream echoErr;

  private ForkedJvm(Builder b) {
    this.mainClass = b.mainClass;
    this.name = b.name != null ? b.name : mainClass.substring(mainClass.lastIndexOf('.') + 1);
    this.java = b.java != null ? b.java : defaultJava();
    this.jvmArgs = List.copyOf(b.jvmArgs);
    this.javaagents = List.copyOf(b.javaagents);
    this.systemProperties = Map.copyOf(b.systemProperties);
    this.env = Map.copyOf(b.env);
    this.removedEnv = Set.copyOf(b.removedEnv);
    this.classpath = b.classpath != null ? b.classpath : System.getProperty("java.class.path", "");
    this.args = List.copyOf(b.args);
    this.timeout = b.timeout;
    this.workingDirectory = b.workingDirectory;
    this.echoOut = b.echo ? (b.echoTo != null ? b.echoTo : System.out) : null;
    this.echoErr = b.echo ? (b.echoTo != null ? b.echoTo : System.err) : null;
  }

  /** A builder for a child JVM running {@code mainClass}. */
  public static Builder builder(String mainClass) {
    return new Builder(mainClass);
  }

  /** {@code System.getProperty("aicost.it.java")} if set, else {@code <java.home>/bin/java}. */
  public static Path defaultJava() {
    String configured = System.getProperty(JAVA_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured.trim());
    }
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    return Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
  }

  /** The full command line of the child. */
  public List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(jvmArgs);
    command.addAll(javaagents);
    systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    if (!classpath.isEmpty()) {
      command.add("-cp");
      command.add(classpath);
    }
    command.add(mainClass);
    command.addAll(args);
    return List.copyOf(command);
  }

  /** Timeout of {@link #run()} and of {@link Running#await()}. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Runs the child to completion. Returns whatever exit code it had (see {@link Result#assertSuccess()}); throws
   * {@link TimeoutError} if it outlives the timeout (after killing its process tree).
   */
  public Result run() {
    try (Running running = start()) {
      return running.await();
    }
  }

  /** Starts the child and returns at once. Close the handle to kill it (and its descendants). */
  public Running start() {
    ProcessBuilder pb = new ProcessBuilder(command());
    if (workingDirectory != null) {
      pb.directory(workingDirectory.toFile());
    }
    Map<String, String> environment = pb.environment();
    removedEnv.forEach(environment::remove);
    environment.putAll(env);
    if (echoOut != null) {
      echoOut.println("[" + name + "] starting: " + String.join(" ", abbreviated(command())));
    }
    try {
      return new Running(pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command(), e);
    }
  }

  private static List<String> abbreviated(List<String> command) {
    List<String> out = new ArrayList<>(command);
    for (int i = 0; i < out.size() - 1; i++) {
      if (out.get(i).equals("-cp") && out.get(i + 1).length() > 200) {
        String cp = out.get(i + 1);
        out.set(i + 1, "<" + cp.split(File.pathSeparator).length + " class path entries>");
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ running child

  /** A started child JVM. Thread-safe. */
  public final class Running implements AutoCloseable {
    private final Process process;
    private final long startNanos = System.nanoTime();
    private final Pump out;
    private final Pump err;

    private Running(Process process) {
      this.process = process;
      this.out = new Pump(process.getInputStream(), echoOut, "[" + name + "] ", name + "-stdout");
      this.err = new Pump(process.getErrorStream(), echoErr, "[" + name + ":err] ", name + "-stderr");
      try {
        process.getOutputStream().close(); // the child reads EOF from stdin rather than blocking
      } catch (IOException e) {
        // already gone
      }
    }

    public long pid() {
      return process.pid();
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    /** Standard output captured so far. */
    public String stdout() {
      return out.text();
    }

    /** Standard error captured so far. */
    public String stderr() {
      return err.text();
    }

    /**
     * Waits until the child prints a stdout line matching {@code predicate}; returns that line. Fails if the child
     * exits first or the timeout elapses.
     */
    public String awaitStdoutLine(Predicate<String> predicate, Duration timeout) {
      return out.awaitLine(predicate, timeout, this);
    }

    /** Waits until the child prints a stdout line containing {@code text}; returns that line. */
    public String awaitStdoutLine(String text, Duration timeout) {
      return awaitStdoutLine(line -> line.contains(text), timeout);
    }

    /** Waits for the child to exit within what remains of the builder's timeout (counted from start). */
    public Result await() {
      Duration remaining = timeout.minusNanos(System.nanoTime() - startNanos);
      return await(remaining.isNegative() ? Duration.ZERO : remaining, timeout);
    }

    /** Waits up to {@code timeout} for the child to exit; on timeout kills its process tree and throws. */
    public Result await(Duration timeout) {
      return await(timeout, timeout);
    }

    private Result await(Duration timeout, Duration reported) {
      boolean exited;
      try {
        exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        killTree();
        throw new AssertionError("interrupted while waiting for " + name, e);
      }
      if (!exited) {
        killTree();
        Result partial = result();
        throw new TimeoutError(
            name + " did not finish within " + reported + " and was killed (with its descendants).\n"
                + partial.describe(),
            partial);
      }
      return result();
    }

    private Result result() {
      out.join(Duration.ofSeconds(5));
      err.join(Duration.ofSeconds(5));
      int exitCode = process.isAlive() ? -1 : process.exitValue();
      return new Result(command(), exitCode, out.text(), err.text(), Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** Kills the child and all its descendants at once (SIGKILL), then waits for them. */
    public void killTree() {
      List<ProcessHandle> descendants = process.descendants().toList();
      descendants.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
        for (ProcessHandle d : descendants) {
          d.onExit().get(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        // best effort: a descendant that will not die is reported by the OS, not by us
      }
    }

    /**
     * Stops a still running child: asks politely first (SIGTERM, so shutdown hooks run) and kills the process tree
     * after 5 s. Does nothing if the child already exited.
     */
    @Override
    public void close() {
      if (!process.isAlive()) {
        out.join(Duration.ofSeconds(5));
        err.join(Duration.ofSeconds(5));
        return;
      }
      List<ProcessHandle> descendants = process.descendants().toList();
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          killTree();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        killTree();
      }
      descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
      out.join(Duration.ofSeconds(5));
      err.join(Duration.ofSeconds(5));
    }
  }

  /** Drains one child stream: keeps everything, echoes and indexes complete lines. */
  private static final class Pump {
    private final StringBuilder text = new StringBuilder();
    private final List<String> lines = new ArrayList<>();
    private final Thread thread;
    private boolean eof;

    Pump(InputStream in, PrintStream echo, String prefix, String threadName) {
      this.thread = new Thread(() -> drain(in, echo, prefix), "forked-jvm-" + threadName);
      thread.setDaemon(true);
      thread.start();
    }

    private void drain(InputStream in, PrintStream echo, String prefix) {
      StringBuilder line = new StringBuilder();
      char[] buffer = new char[8192];
      try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        int n;
        while ((n = reader.read(buffer)) != -1) {
          synchronized (this) {
            text.append(buffer, 0, n);
          }
          for (int i = 0; i < n; i++) {
            char c = buffer[i];
            if (c == '\n') {
              emit(line, echo, prefix);
            } else if (c != '\r') {
              line.append(c);
            }
          }
        }
      } catch (IOException e) {
        // the stream closes when the process is killed
      } finally {
        if (line.length() > 0) {
          emit(line, echo, prefix);
        }
        synchronized (this) {
          eof = true;
          notifyAll();
        }
      }
    }

    private void emit(StringBuilder line, PrintStream echo, String prefix) {
      String complete = line.toString();
      line.setLength(0);
      if (echo != null) {
        echo.println(prefix + complete);
      }
      synchronized (this) {
        lines.add(complete);
        notifyAll();
      }
    }

    synchronized String text() {
      return text.toString();
    }

    String awaitLine(Predicate<String> predicate, Duration timeout, Running running) {
      long deadline = System.nanoTime() + timeout.toNanos();
      int checked = 0;
      synchronized (this) {
        while (true) {
          for (; checked < lines.size(); checked++) {
            if (predicate.test(lines.get(checked))) {
              return lines.get(checked);
            }
          }
          if (eof) {
            throw new AssertionError("child exited without printing the expected line; stdout:\n" + text
                + "\nstderr:\n" + running.stderr());
          }
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            throw new AssertionError("timed out after " + timeout + " waiting for the expected line; stdout:\n"
                + text + "\nstderr:\n" + running.stderr());
          }
          try {
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
          }
        }
      }
    }

    void join(Duration timeout) {
      try {
        thread.join(timeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ------------------------------------------------------------------ result

  /** What a finished child did. {@code exitCode} is -1 if it could not be determined. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr, Duration wallTime) {

    public Result {
      command = List.copyOf(command);
    }

    /** Fails with the full output unless the exit code is 0. */
    public Result assertSuccess() {
      return assertExitCode(0);
    }

    /** Fails with the full output unless the exit code is {@code expected}. */
    public Result assertExitCode(int expected) {
      if (exitCode != expected) {
        throw new AssertionError("expected exit code " + expected + " but was " + exitCode + "\n" + describe());
      }
      return this;
    }

    /** Stdout split into lines (without line terminators). */
    public List<String> stdoutLines() {
      return stdout.isEmpty() ? List.of() : Arrays.asList(stdout.split("\r?\n"));
    }

    /** Command, exit code, wall time and both outputs, for failure messages. */
    public String describe() {
      return "command: " + String.join(" ", abbreviated(command)) + "\nexit code: " + exitCode + ", wall time: "
          + wallTime.toMillis() + " ms\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr
          + "\n--------------";
    }
  }

  /** Thrown by {@link #run()} when the child outlived its timeout; carries what it printed. */
  public static final class TimeoutError extends AssertionError {
    private static final long serialVersionUID = 1L;
    private final transient Result partialResult;

    TimeoutError(String message, Result partialResult) {
      super(message);
      this.partialResult = partialResult;
    }

    /** The output captured until the child was killed. */
    public Result partialResult() {
      return partialResult;
    }
  }

  // ------------------------------------------------------------------ builder

  /** Builder for {@link ForkedJvm}. */
  public static final class Builder {
    private final String mainClass;
    private String name;
    private Path java;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> javaagents = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Set<String> removedEnv = new LinkedHashSet<>();
    private String classpath;
    private final List<String> args = new ArrayList<>();
    private Duration timeout = Duration.ofSeconds(60);
    private Path workingDirectory;
    private boolean echo = true;
    private PrintStream echoTo;

    private Builder(String mainClass) {
      if (Objects.requireNonNull(mainClass, "mainClass").isBlank()) {
        throw new IllegalArgumentException("mainClass is blank");
      }
      this.mainClass = mainClass;
    }

    /** The java executable (default: {@link ForkedJvm#defaultJava()}). */
    public Builder javaExecutable(Path java) {
      this.java = Objects.requireNonNull(java);
      return this;
    }

    /** Adds {@code -javaagent:<jar>}; agents load in the order added. */
    public Builder javaagent(Path jar) {
      javaagents.add("-javaagent:" + requireFile(jar));
      return this;
    }

    /** Adds {@code -javaagent:<jar>=<options>}. */
    public Builder javaagent(Path jar, String options) {
      javaagents.add("-javaagent:" + requireFile(jar) + "=" + Objects.requireNonNull(options));
      return this;
    }

    /** Adds {@code -D<key>=<value>}. */
    public Builder systemProperty(String key, String value) {
      systemProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
      return this;
    }

    /** Adds a raw JVM option such as {@code -Xmx128m} (placed before the agents and system properties). */
    public Builder jvmArg(String arg) {
      jvmArgs.add(Objects.requireNonNull(arg));
      return this;
    }

    /** Sets an environment variable of the child (the rest of this JVM's environment is inherited). */
    public Builder env(String key, String value) {
      env.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
      removedEnv.remove(key);
      return this;
    }

    /** Removes an inherited environment variable from the child's environment. */
    public Builder removeEnv(String key) {
      removedEnv.add(Objects.requireNonNull(key));
      env.remove(key);
      return this;
    }

    /** The class path, as a {@code java.class.path}-style string (default: this JVM's). Empty: no {@code -cp}. */
    public Builder classpath(String classpath) {
      this.classpath = Objects.requireNonNull(classpath);
      return this;
    }

    /** The class path as entries. */
    public Builder classpath(List<Path> entries) {
      StringBuilder sb = new StringBuilder();
      for (Path entry : entries) {
        if (sb.length() > 0) {
          sb.append(File.pathSeparatorChar);
        }
        sb.append(entry);
      }
      return classpath(sb.toString());
    }

    /** Program arguments. */
    public Builder args(String... args) {
      this.args.addAll(Arrays.asList(args));
      return this;
    }

    /** Program arguments. */
    public Builder args(List<String> args) {
      this.args.addAll(args);
      return this;
    }

    /** How long {@link #run()} waits before killing the child (default 60 s). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    public Builder workingDirectory(Path directory) {
      this.workingDirectory = Objects.requireNonNull(directory);
      return this;
    }

    /** The prefix of echoed lines (default: the main class's simple name). */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name);
      return this;
    }

    /** Echo the child's output to this JVM's stdout/stderr (default true). */
    public Builder echo(boolean echo) {
      this.echo = echo;
      return this;
    }

    /** Echo both of the child's streams, prefixed, to {@code stream} instead of stdout/stderr. */
    public Builder echoTo(PrintStream stream) {
      this.echo = true;
      this.echoTo = Objects.requireNonNull(stream);
      return this;
    }

    public ForkedJvm build() {
      return new ForkedJvm(this);
    }

    private static Path requireFile(Path jar) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException("javaagent jar does not exist: " + jar);
      }
      return jar.toAbsolutePath();
    }
  }
}
