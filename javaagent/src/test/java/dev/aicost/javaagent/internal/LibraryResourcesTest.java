package dev.aicost.javaagent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

class LibraryResourcesTest {

  @Test
  void findsAndReadsWhatTheLoaderHasAndNothingElse() throws Exception {
    ClassLoader system = ClassLoader.getSystemClassLoader();
    String resource = "org/junit/jupiter/api/Test.class"; // a library on the class path
    assertThat(LibraryResources.find(system, resource)).isEqualTo(system.getResource(resource));
    byte[] expected;
    try (InputStream in = system.getResourceAsStream(resource)) {
      expected = in.readAllBytes();
    }
    assertThat(LibraryResources.read(system, resource)).isEqualTo(expected);
    assertThat(LibraryResources.find(system, "com/example/Missing.class")).isNull();
    assertThat(LibraryResources.read(system, "com/example/Missing.class")).isNull();
    // Another loader is asked the usual way, delegation included.
    ClassLoader child = new ClassLoader(system) {};
    assertThat(LibraryResources.find(child, resource)).isEqualTo(system.getResource(resource));
  }
}
