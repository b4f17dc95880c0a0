package dev.aicost.testing;

/** Settings shared by the module's {@code com.sun.net.httpserver} servers. */
final class JdkHttpServers {
  private JdkHttpServers() {}

  /**
   * Streamed chunks must leave at once instead of waiting for Nagle's algorithm and the peer's delayed ACK (up to
   * 40 ms per chunk). The JDK server reads this property once, when its first instance in the JVM is created, so
   * every server class of this module calls this before creating one. Harmless if the JVM already decided.
   */
  static void configure() {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }
}
