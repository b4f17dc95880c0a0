package dev.aicost.javaagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentClassLoaderTest {

  @TempDir Path dir;

  /** The parent: records what it is asked, and has one resource of its own and one also in the agent jar. */
  private static final class RecordingParent extends ClassLoader {
    final List<String> asked = Collections.synchronizedList(new ArrayList<>());
    final URL shared;

    RecordingParent(Path dir) throws IOException {
      super(ClassLoader.getPlatformClassLoader());
      Path f = Files.write(dir.resolve("parent-shared.txt"), "parent".getBytes(StandardCharsets.UTF_8));
      shared = f.toUri().toURL();
    }

    @Override
    protected URL findResource(String name) {
      asked.add(name);
      return name.equals("shared.txt") || name.equals("parent-only.txt") ? shared : null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
      URL u = findResource(name);
      return u == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(u));
    }
  }

  private Path agentJar() throws IOException {
    ClassWriter w = new ClassWriter(0);
    w.visit(Opcodes.V11, Opcodes.ACC_PUBLIC, "dev/aicost/testonly/Own", null, "java/lang/Object", null);
    w.visitEnd();
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("inst/dev/aicost/testonly/Own.classdata", w.toByteArray());
    entries.put("inst/shared.txt", "agent".getBytes(StandardCharsets.UTF_8));
    entries.put("inst/META-INF/services/dev.aicost.testonly.Service", "dev.aicost.testonly.Own\n".getBytes(StandardCharsets.UTF_8));
    return TestJars.write(dir.resolve("agent.jar"), entries);
  }

  @Test
  void ownClassesComeFromTheJarAndJdkClassesFromTheJdk() throws Exception {
    RecordingParent parent = new RecordingParent(dir);
    AgentClassLoader loader = new AgentClassLoader(agentJar().toFile(), parent);
    Class<?> own = Class.forName("dev.aicost.testonly.Own", false, loader);
    assertThat(own.getClassLoader()).isSameAs(loader);
    assertThat(loader.loadClass("java.lang.String")).isSameAs(String.class); // asked of the bootstrap loader directly
    // a java.* class of a module the platform loader defines: found through the parent chain
    Class<?> platform = loader.loadClass("java.sql.Connection");
    assertThat(platform.getClassLoader()).isSameAs(ClassLoader.getPlatformClassLoader());
  }

  @Test
  void ownResourcesAreFoundFirstAndTheirNamespaceIsNeverAskedOfTheParent() throws Exception {
    RecordingParent parent = new RecordingParent(dir);
    AgentClassLoader loader = new AgentClassLoader(agentJar().toFile(), parent);

    // In both: the agent's copy, the parent not asked.
    URL shared = loader.getResource("shared.txt");
    assertThat(shared.toString()).startsWith("jar:").endsWith("!/inst/shared.txt");
    assertThat(parent.asked).doesNotContain("shared.txt");
    // Only the parent's: still found.
    assertThat(loader.getResource("parent-only.txt")).isEqualTo(parent.shared);
    // Class files are stored as .classdata, and found by their .class name.
    assertThat(loader.getResource("dev/aicost/testonly/Own.class").toString()).endsWith("!/inst/dev/aicost/testonly/Own.classdata");
    // The agent's (relocated) namespace: absent means absent, without asking the JDK's loaders.
    assertThat(loader.getResource("dev/aicost/testonly/Missing.class")).isNull();
    assertThat(Collections.list(loader.getResources("META-INF/services/dev.aicost.testonly.Missing"))).isEmpty();
    assertThat(Collections.list(loader.getResources("META-INF/services/dev.aicost.testonly.Service"))).hasSize(1);
    assertThat(parent.asked)
        .doesNotContain("dev/aicost/testonly/Missing.class", "META-INF/services/dev.aicost.testonly.Missing", "META-INF/services/dev.aicost.testonly.Service");
    // Any other name: the agent's first, then the parent's.
    List<URL> both = Collections.list(loader.getResources("shared.txt"));
    assertThat(both).hasSize(2);
    assertThat(both.get(0).toString()).endsWith("!/inst/shared.txt");
    assertThat(both.get(1)).isEqualTo(parent.shared);
    try (var in = loader.getResourceAsStream("shared.txt")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("agent");
    }
  }
}
