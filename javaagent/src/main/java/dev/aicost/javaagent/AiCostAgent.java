package dev.aicost.javaagent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.util.jar.JarFile;

/**
 * Entry point of {@code -javaagent:aicost-javaagent.jar} (and of runtime attach).
 *
 * <p>This class and {@link AgentClassLoader} are the only agent classes the application's class loader can see. The
 * {@code dev.aicost.bootstrap} bridge is defined in the bootstrap class loader so that every class loader shares it
 * (by {@code BridgeDefiner}; the jar is appended to the bootstrap class path only if that fails); everything else
 * (the recorder, OpenTelemetry, Jackson, Byte Buddy, all relocated under {@code dev.aicost.shaded}) lives under
 * {@code inst/} in the jar and is loaded by an isolated {@link AgentClassLoader}, so it can never clash with the
 * application's own copies.
 *
 * <p>Nothing here may throw into the JVM: a failure prints one line and the application runs without aicost.
 */
public final class AiCostAgent {

  private static final String INSTALLER = "dev.aicost.javaagent.internal.AgentInstaller";
  private static final String BRIDGE_DEFINER = "dev.aicost.javaagent.internal.BridgeDefiner";
  private static boolean started;

  private AiCostAgent() {}

  public static void premain(String args, Instrumentation instrumentation) {
    start(args, instrumentation, true);
  }

  public static void agentmain(String args, Instrumentation instrumentation) {
    start(args, instrumentation, false);
  }

  private static synchronized void start(String args, Instrumentation instrumentation, boolean premain) {
    if (started) {
      return;
    }
    started = true;
    try {
      if (isDisabled()) {
        System.err.println("[aicost] disabled by aicost.enabled=false; the application runs without metering");
        return;
      }
      File jar = agentJar();
      JarFile jarFile = new JarFile(jar, false);
      ClassLoader agentLoader = new AgentClassLoader(jar, ClassLoader.getPlatformClassLoader());
      Object bridgeProblem =
          Class.forName(BRIDGE_DEFINER, true, agentLoader)
              .getMethod("define", Instrumentation.class, JarFile.class)
              .invoke(null, instrumentation, jarFile);
      if (bridgeProblem != null) {
        instrumentation.appendToBootstrapClassLoaderSearch(jarFile);
        System.err.println(
            "[aicost] WARN the bridge was not defined in the bootstrap class loader (" + bridgeProblem
                + "); the agent jar is on the bootstrap class path instead");
      } else {
        jarFile.close();
      }
      Class<?> installer = Class.forName(INSTALLER, true, agentLoader);
      installer
          .getMethod("install", Instrumentation.class, String.class, boolean.class, File.class)
          .invoke(null, instrumentation, args, premain, jar);
    } catch (Throwable t) {
      Throwable cause = t.getCause() != null && t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
      System.err.println(
          "[aicost] the agent failed to start and is inactive; the application is not affected: " + cause);
    }
  }

  private static boolean isDisabled() {
    String v = System.getProperty("aicost.enabled");
    if (v == null) {
      v = System.getenv("AICOST_ENABLED");
    }
    return v != null && v.trim().equalsIgnoreCase("false");
  }

  private static File agentJar() throws URISyntaxException {
    return new File(AiCostAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
