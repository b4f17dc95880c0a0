package dev.aicost.javaagent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.javaagent.TestJars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which class files {@link BridgeDefiner} defines in the bootstrap loader. Defining them needs the JVM's
 * {@code Instrumentation}: AgentSafetyIT proves that with the packaged agent (the bridge in the bootstrap loader, and
 * no JVM warning about an appended bootstrap class path on the application's output).
 */
class BridgeDefinerTest {

  @TempDir Path dir;

  private Path jar(boolean withIndex) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("dev/aicost/bootstrap/AiCallBridge.class", new byte[] {1});
    entries.put("dev/aicost/bootstrap/Attribution$Builder.class", new byte[] {2});
    entries.put("dev/aicost/bootstrap/notes.txt", new byte[] {3});
    entries.put("dev/aicost/javaagent/AiCostAgent.class", new byte[] {4});
    entries.put("inst/dev/aicost/bootstrap/Elsewhere.classdata", new byte[] {5});
    if (withIndex) {
      // The build's list decides, in its order, even over what a walk of the jar would find.
      entries.put(
          BridgeDefiner.INDEX,
          "dev/aicost/bootstrap/Attribution$Builder.class\n\ndev/aicost/bootstrap/AiCallBridge.class\n"
              .getBytes(StandardCharsets.UTF_8));
    }
    return TestJars.write(dir.resolve(withIndex ? "indexed.jar" : "plain.jar"), entries);
  }

  @Test
  void readsTheBuildsListOfTheBridgeClasses() throws IOException {
    try (JarFile jar = new JarFile(jar(true).toFile())) {
      assertThat(BridgeDefiner.bridgeEntries(jar))
          .containsExactly("dev/aicost/bootstrap/Attribution$Builder.class", "dev/aicost/bootstrap/AiCallBridge.class");
    }
  }

  @Test
  void withoutTheListFindsTheBridgeClassesAtTheJarsRoot() throws IOException {
    try (JarFile jar = new JarFile(jar(false).toFile())) {
      assertThat(BridgeDefiner.bridgeEntries(jar))
          .containsExactlyInAnyOrder(
              "dev/aicost/bootstrap/AiCallBridge.class", "dev/aicost/bootstrap/Attribution$Builder.class");
    }
  }
}
