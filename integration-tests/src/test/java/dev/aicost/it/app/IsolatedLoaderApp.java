package dev.aicost.it.app;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link OpenAiScenarios} inside an isolated child class loader (parent: the platform loader), as application
 * servers and plugin systems do: openai-java, the SDK and the app are invisible to the system class loader.
 */
public final class IsolatedLoaderApp {

  private IsolatedLoaderApp() {}

  public static void main(String[] args) throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("isolated.classpath").split(File.pathSeparator)) {
      urls.add(Paths.get(entry).toUri().toURL());
    }
    try (URLClassLoader isolated = new URLClassLoader("isolated-app", urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      Class<?> app = Class.forName("dev.aicost.it.app.OpenAiScenarios", true, isolated);
      if (app.getClassLoader() != isolated) {
        throw new IllegalStateException("not isolated: " + app.getClassLoader());
      }
      System.out.println("RESULT loader=" + app.getClassLoader().getName());
      app.getMethod("main", String[].class).invoke(null, (Object) args);
    }
  }
}
