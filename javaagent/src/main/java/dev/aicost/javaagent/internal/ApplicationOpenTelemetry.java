package dev.aicost.javaagent.internal;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.Remapper;

/**
 * Maps helper classes compiled against {@code io.opentelemetry} back to the application's OpenTelemetry API. The
 * agent jar relocates every {@code io.opentelemetry} reference to {@code dev.aicost.shaded.io.opentelemetry} (its
 * own private copy); helpers that must talk to the application's copy are rewritten on their way into the
 * application's class loader, as the OpenTelemetry Java agent does for its own bridge. In an unshaded build (unit
 * tests) the mapping changes nothing.
 */
final class ApplicationOpenTelemetry {

  /** Built at run time: a literal would itself be relocated by the shade plugin. */
  static final String APPLICATION_PACKAGE = String.join("/", "io", "opentelemetry") + "/";

  /** Where this agent's own copy lives (shaded jar), or {@link #APPLICATION_PACKAGE} in an unshaded build. */
  static final String AGENT_PACKAGE = agentPackage();

  private ApplicationOpenTelemetry() {}

  private static String agentPackage() {
    // The name of an OpenTelemetry API class as this agent sees it, shaded or not.
    String name = io.opentelemetry.api.OpenTelemetry.class.getName().replace('.', '/');
    return name.substring(0, name.length() - "api/OpenTelemetry".length());
  }

  static boolean isShaded() {
    return !AGENT_PACKAGE.equals(APPLICATION_PACKAGE);
  }

  /** Class bytes that read {@code delegate} and map the agent's OpenTelemetry to the application's. */
  static HelperInjector.ClassBytes unshading(HelperInjector.ClassBytes delegate) {
    if (!isShaded()) {
      return delegate;
    }
    return className -> remap(delegate.read(className));
  }

  static byte[] remap(byte[] bytes) {
    ClassReader reader = new ClassReader(bytes);
    ClassWriter writer = new ClassWriter(0);
    reader.accept(
        new ClassRemapper(
            writer,
            new Remapper() {
              @Override
              public String map(String internalName) {
                if (internalName.startsWith(AGENT_PACKAGE)) {
                  return APPLICATION_PACKAGE + internalName.substring(AGENT_PACKAGE.length());
                }
                return internalName;
              }
            }),
        0);
    return writer.toByteArray();
  }
}
