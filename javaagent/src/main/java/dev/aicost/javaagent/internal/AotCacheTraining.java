package dev.aicost.javaagent.internal;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Whether this JVM trains or assembles a JDK ahead-of-time cache (JEP 483: {@code -XX:AOTMode=record} then
 * {@code -XX:AOTMode=create}; JEP 514: {@code -XX:AOTCacheOutput=...} in one step, whose assembly child gets its options
 * through {@code JAVA_TOOL_OPTIONS}).
 *
 * <p>Why it matters: the cache leaves out every class a Java agent changed, and on JDK 25 the cache's assembly crashes
 * the JVM when the classes left out are JDK classes that archived objects refer to (a {@code guarantee} in
 * {@code archiveHeapWriter.cpp} once an application used fork/join with the agent's {@code java.util.concurrent}
 * instrumentation). So in such a run the agent leaves the JDK's classes alone; a run <em>from</em> the cache
 * instruments them as usual ({@code AotCacheIT}).
 *
 * <p>Read from the command line ({@code /proc/self/cmdline}) and the launcher's environment variables (~1 ms); only
 * when options come from somewhere those do not show ({@code @argfiles}, {@code -XX:VMOptionsFile}, {@code -XX:Flags})
 * or the command line cannot be read (not Linux), from the VM's own flags, through the management API (~30 ms at
 * start-up). Before JDK 24 nothing is read.
 */
final class AotCacheTraining {

  private AotCacheTraining() {}

  static boolean isThisJvm() {
    if (Runtime.version().feature() < 24) {
      return false; // no ahead-of-time cache before JDK 24
    }
    List<String> options = new ArrayList<>();
    Optional<String[]> commandLine = commandLine();
    commandLine.ifPresent(a -> options.addAll(Arrays.asList(a)));
    for (String variable : new String[] {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"}) {
      String value = System.getenv(variable);
      if (value != null && !value.trim().isEmpty()) {
        options.addAll(Arrays.asList(value.trim().split("\\s+")));
      }
    }
    return fromOptions(options, !commandLine.isPresent(), AotCacheTraining::fromVmFlags);
  }

  /**
   * The JVM's command line from {@code /proc/self/cmdline} (Linux): ~1 ms in premain, where
   * {@code ProcessHandle.current().info()} took 30-80 ms. Empty elsewhere, and then the VM's flags decide.
   */
  private static Optional<String[]> commandLine() {
    try (FileInputStream in = new FileInputStream("/proc/self/cmdline")) {
      String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      return all.isEmpty() ? Optional.<String[]>empty() : Optional.of(all.split("\0"));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * @param unknown whether the options seen may be incomplete (the command line could not be read)
   * @param vmFlags the VM's own answer, asked only when the options seen cannot tell
   */
  static boolean fromOptions(List<String> options, boolean unknown, BooleanSupplier vmFlags) {
    boolean indirect = unknown;
    for (String option : options) {
      if (option.equals("-XX:AOTMode=record")
          || option.equals("-XX:AOTMode=create")
          || (option.startsWith("-XX:AOTCacheOutput=") && option.length() > "-XX:AOTCacheOutput=".length())) {
        return true;
      }
      if (option.startsWith("@") || option.startsWith("-XX:VMOptionsFile=") || option.startsWith("-XX:Flags=")) {
        indirect = true;
      }
    }
    return indirect && vmFlags.getAsBoolean();
  }

  private static boolean fromVmFlags() {
    try {
      com.sun.management.HotSpotDiagnosticMXBean vm =
          java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
      String mode = vm.getVMOption("AOTMode").getValue();
      return mode.equals("record") || mode.equals("create") || !vm.getVMOption("AOTCacheOutput").getValue().isEmpty();
    } catch (Throwable t) { // no java.management module, or a VM without these flags
      return false;
    }
  }
}
