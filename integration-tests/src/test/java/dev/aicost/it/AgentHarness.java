package dev.aicost.it;

import dev.aicost.testing.ForkedJvm;
import dev.aicost.testing.MockAnthropicServer;
import dev.aicost.testing.MockOpenAiServer;
import dev.aicost.testing.OtlpReceiver;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Runs an application main in a forked JVM with the aicost agent attached, against the embedded mock OpenAI server,
 * exporting over OTLP to an in-process receiver, with a fresh cost ledger per run.
 */
public final class AgentHarness implements AutoCloseable {

  /** The agent under test, built by the javaagent module. */
  public static final Path AGENT_JAR = Paths.get(System.getProperty("aicost.agent.jar", "../javaagent/target/aicost-javaagent.jar")).toAbsolutePath().normalize();

  private static final AtomicInteger RUNS = new AtomicInteger();

  private final MockOpenAiServer openai;
  private final MockAnthropicServer anthropic;
  private final OtlpReceiver otlp;
  private final Path workDir;

  private AgentHarness() throws IOException {
    this.openai = MockOpenAiServer.builder().azureDeployment("prod-chat", "gpt-4o").start();
    this.anthropic = MockAnthropicServer.start();
    this.otlp = OtlpReceiver.start();
    this.workDir = Files.createTempDirectory("aicost-it");
  }

  public static AgentHarness start() {
    if (!Files.isRegularFile(AGENT_JAR)) {
      throw new IllegalStateException("agent jar not built: " + AGENT_JAR + " (run mvn package first)");
    }
    try {
      return new AgentHarness();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public MockOpenAiServer openai() {
    return openai;
  }

  public MockAnthropicServer anthropic() {
    return anthropic;
  }

  public OtlpReceiver otlp() {
    return otlp;
  }

  /** Clears the mock servers' queues, recorded requests and prompt caches, and the receiver's data. */
  public void reset() {
    openai.reset();
    anthropic.reset();
    otlp.reset();
  }

  /** Runs {@code OpenAiScenarios <scenario> <baseUrl>} with the agent and default settings. */
  public AgentRun runOpenAi(String scenario) {
    return run("dev.aicost.it.app.OpenAiScenarios", Map.of(), scenario, openai.baseUrl());
  }

  /** Runs {@code AnthropicScenarios <scenario> <baseUrl>} with the agent and default settings. */
  public AgentRun runAnthropic(String scenario) {
    return run("dev.aicost.it.app.AnthropicScenarios", Map.of(), scenario, anthropic.baseUrl());
  }

  public AgentRun run(String mainClass, Map<String, String> properties, String... args) {
    return run(applicationClasspath(), mainClass, properties, args);
  }

  /** Runs with an explicit application class path. */
  public AgentRun run(String classpath, String mainClass, Map<String, String> properties, String... args) {
    return run(ForkedJvm.defaultJava(), classpath, mainClass, properties, args);
  }

  /** Runs on an explicit JVM ({@code bin/java}) with an explicit application class path. */
  public AgentRun run(
      Path java, String classpath, String mainClass, Map<String, String> properties, String... args) {
    return run(java, List.of(), classpath, mainClass, properties, args);
  }

  /** Runs with extra JVM arguments before the aicost agent (another {@code -javaagent}, say). */
  public AgentRun run(
      Path java,
      List<String> jvmArgs,
      String classpath,
      String mainClass,
      Map<String, String> properties,
      String... args) {
    Path ledger = workDir.resolve("ledger-" + RUNS.incrementAndGet() + ".jsonl");
    Map<String, String> props = new LinkedHashMap<>();
    props.put("otel.service.name", "aicost-it");
    props.put("otel.exporter.otlp.endpoint", otlp.httpEndpoint());
    props.put("otel.logs.exporter", "none");
    props.put("otel.bsp.schedule.delay", "100");
    props.put("otel.metric.export.interval", "60000");
    props.put("aicost.ledger.path", ledger.toString());
    // One weave cache per test class: its first run weaves, later ones take the cache (the user's stays untouched).
    props.put("aicost.weave-cache.dir", workDir.resolve("weave-cache").toString());
    props.putAll(properties);
    ForkedJvm.Builder jvm = ForkedJvm.builder(mainClass).javaExecutable(java);
    jvmArgs.forEach(jvm::jvmArg);
    jvm.javaagent(AGENT_JAR)
            .classpath(classpath)
            .args(args)
            .timeout(Duration.ofSeconds(90));
    props.forEach(jvm::systemProperty);
    ForkedJvm.Result result = jvm.build().run();
    return new AgentRun(result.exitCode(), result.stdout(), result.stderr(), ledger);
  }

  /**
   * This test JVM's class path without any aicost agent jar (Maven puts one there to order the build): the agent
   * is attached, never on the application's class path.
   */
  static String applicationClasspath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !Paths.get(entry).getFileName().toString().startsWith("aicost-javaagent"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  @Override
  public void close() {
    openai.close();
    anthropic.close();
    otlp.close();
  }
}
