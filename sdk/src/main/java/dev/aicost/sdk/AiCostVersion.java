package dev.aicost.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** aicost's version, from a resource written by the build (works in the shaded agent too). */
public final class AiCostVersion {

  private static final String VERSION = load();

  private AiCostVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = AiCostVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
