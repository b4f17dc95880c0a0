package dev.aicost.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForkedJvmTest {

  @TempDir
  Path tmp;

  @Test
  void runsAMainWithArgsPropertiesAndEnvironment() {
    ForkedJvm.Result result = ForkedJvm.builder(ForkedMains.Echo.class.getName())
        .args("a", "b c")
        .systemProperty("forked.prop", "p=1")
        .env("FORKED_ENV", "from-env")
        .jvmArg("-Xmx64m")
        .build()
        .run()
        .assertSuccess();

    assertThat(result.stdoutLines()).startsWith("args=a,b c", "prop=p=1", "env=from-env", "removed=null",
        "agent=null");
    assertThat(result.stdout()).endsWith("tail without newline");
    assertThat(result.stderr()).isEqualTo("to stderr" + System.lineSeparator());
    assertThat(result.wallTime()).isPositive();
    assertThat(result.command()).contains("-Xmx64m", "-Dforked.prop=p=1", ForkedMains.Echo.class.getName());
    assertThat(result.command().get(0)).isEqualTo(ForkedJvm.defaultJava().toString());
  }

  @Test
  void exitCodeIsReportedAndAssertSuccessShowsTheOutput() {
    ForkedJvm.Result result = ForkedJvm.builder(ForkedMains.Echo.class.getName()).args("3").build().run();

    assertThat(result.exitCode()).isEqualTo(3);
    result.assertExitCode(3);
    assertThatThrownBy(result::assertSuccess)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected exit code 0 but was 3")
        .hasMessageContaining("args=3")
        .hasMessageContaining("to stderr");
  }

  @Test
  void removesInheritedEnvironmentVariables() {
    // FORKED_REMOVED is not in this JVM's environment either; removal must still leave it unset, and env()
    // after removeEnv() wins
    ForkedJvm.Result result = ForkedJvm.builder(ForkedMains.Echo.class.getName())
        .removeEnv("PATH")
        .removeEnv("FORKED_REMOVED")
        .env("FORKED_REMOVED", "back")
        .build()
        .run()
        .assertSuccess();
    assertThat(result.stdoutLines()).contains("removed=back");
  }

  @Test
  void loadsJavaAgents() throws Exception {
    Path agent = tmp.resolve("test-agent.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Premain-Class", ForkedMains.TestAgent.class.getName());
    try (OutputStream out = Files.newOutputStream(agent)) {
      // a manifest-only jar: the agent class itself comes from the class path
      new JarOutputStream(out, manifest).close();
    }

    ForkedJvm.Result result = ForkedJvm.builder(ForkedMains.Echo.class.getName())
        .javaagent(agent, "mode=test")
        .build()
        .run()
        .assertSuccess();

    assertThat(result.stdoutLines()).contains("agent=mode=test");
    assertThat(result.command()).contains("-javaagent:" + agent.toAbsolutePath() + "=mode=test");
    assertThatThrownBy(() -> ForkedJvm.builder("x").javaagent(tmp.resolve("missing.jar")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void echoesOutputWithAPrefix() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream sink = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ForkedJvm.builder(ForkedMains.Echo.class.getName()).name("echo-child").args("x").echoTo(sink).build().run();

    String log = bytes.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("[echo-child] starting: ")
        .contains("[echo-child] args=x")
        .contains("[echo-child:err] to stderr")
        .contains("[echo-child] tail without newline");
  }

  @Test
  void timeoutKillsTheProcessTreeAndReportsTheOutput() {
    ForkedJvm jvm = ForkedJvm.builder(ForkedMains.Sleeper.class.getName())
        .args("spawn")
        .timeout(Duration.ofSeconds(30))
        .build();
    long grandchild;
    try (ForkedJvm.Running running = jvm.start()) {
      String line = running.awaitStdoutLine("grandchild=", Duration.ofSeconds(20));
      grandchild = Long.parseLong(line.substring("grandchild=".length()));
      running.awaitStdoutLine("ready", Duration.ofSeconds(20));
      assertThat(ProcessHandle.of(grandchild)).hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());

      assertThatThrownBy(() -> running.await(Duration.ofMillis(100)))
          .isInstanceOfSatisfying(ForkedJvm.TimeoutError.class, e -> {
            assertThat(e.getMessage()).contains("did not finish within").contains("ready");
            assertThat(e.partialResult().stdout()).contains("grandchild=" + grandchild);
          });
      assertThat(running.isAlive()).isFalse();
    }
    assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void runFailsAtTheTimeout() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> ForkedJvm.builder(ForkedMains.Sleeper.class.getName())
            .timeout(Duration.ofSeconds(2)).build().run())
        .isInstanceOf(ForkedJvm.TimeoutError.class)
        .hasMessageContaining("did not finish within PT2S");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void javaExecutableComesFromTheSystemPropertyWhenSet() {
    String previous = System.getProperty(ForkedJvm.JAVA_PROPERTY);
    try {
      System.clearProperty(ForkedJvm.JAVA_PROPERTY);
      assertThat(ForkedJvm.defaultJava()).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java"));
      System.setProperty(ForkedJvm.JAVA_PROPERTY, "/opt/jdk-25/bin/java");
      assertThat(ForkedJvm.defaultJava()).isEqualTo(Path.of("/opt/jdk-25/bin/java"));
      assertThat(ForkedJvm.builder("Main").build().command().get(0)).isEqualTo("/opt/jdk-25/bin/java");
    } finally {
      if (previous == null) {
        System.clearProperty(ForkedJvm.JAVA_PROPERTY);
      } else {
        System.setProperty(ForkedJvm.JAVA_PROPERTY, previous);
      }
    }
  }

  @Test
  void mockOpenAiServerRunsStandalone() throws Exception {
    Path portFile = tmp.resolve("mock.port");
    try (ForkedJvm.Running server = ForkedJvm.builder(MockOpenAiServer.class.getName())
        .args("--port-file", portFile.toString())
        .build()
        .start()) {
      String baseUrl = server.awaitStdoutLine(line -> line.startsWith("http://"), Duration.ofSeconds(20));
      int port = Integer.parseInt(Files.readString(portFile));
      assertThat(baseUrl).isEqualTo("http://127.0.0.1:" + port + "/v1");

      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(
                  "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"model\":\"gpt-4o-2024-08-06\"").contains("\"prompt_tokens\":8");
    }
  }

  @Test
  void mockOpenAiServerRejectsUnknownOptions() {
    ForkedJvm.Result result =
        ForkedJvm.builder(MockOpenAiServer.class.getName()).args("--bogus").build().run();
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("unknown option: --bogus").contains("usage:");
  }
}
