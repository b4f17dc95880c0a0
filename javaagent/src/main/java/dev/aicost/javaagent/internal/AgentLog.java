package dev.aicost.javaagent.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's own log: short lines on standard error. It deliberately avoids {@code java.util.logging}, which must
 * not be initialized from {@code premain} (an application may still install its own LogManager after the agent
 * starts, as JBoss and WildFly do).
 */
public final class AgentLog {

  private static volatile boolean debug = Boolean.getBoolean("aicost.debug");
  private static final Set<String> once = ConcurrentHashMap.newKeySet();

  private AgentLog() {}

  static void setDebug(boolean enabled) {
    debug = enabled;
  }

  public static boolean isDebug() {
    return debug;
  }

  public static void info(String message) {
    System.err.println("[aicost] " + message);
  }

  public static void warn(String message) {
    System.err.println("[aicost] WARN " + message);
  }

  /** Logs {@code message} the first time {@code key} is seen; later ones only in debug mode. */
  public static void warnOnce(String key, String message) {
    if (once.size() < 10_000 && once.add(key)) {
      warn(message);
    } else {
      debug(message);
    }
  }

  public static void debug(String message) {
    if (debug) {
      System.err.println("[aicost] DEBUG " + message);
    }
  }

  public static void debug(String message, Throwable t) {
    if (debug) {
      System.err.println("[aicost] DEBUG " + message + ": " + t);
      t.printStackTrace(System.err);
    }
  }
}
