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
 *
 * <p>With {@code -Disolated.also-in=UnlistedLoader}, the scenario then runs a second time in a second isolated loader of
 * class {@link UnlistedLoader}: a second copy of every class, for tests of {@code aicost.exclude-class-loaders}.
 */
public final class IsolatedLoaderApp {

  private IsolatedLoaderApp() {}

  /** A loader class of its own, so that {@code aicost.exclude-class-loaders} can name it. */
  public static final class UnlistedLoader extends URLClassLoader {
    UnlistedLoader(URL[] urls) {
      super("unlisted-app", urls, ClassLoader.getPlatformClassLoader());
    }
  }

  public static void main(String[] args) throws Exception {
    List<URL> list = new ArrayList<>();
    for (String entry : System.getProperty("isolated.classpath").split(File.pathSeparator)) {
      list.add(Paths.get(entry).toUri().toURL());
    }
    URL[] urls = list.toArray(new URL[0]);
    try (URLClassLoader isolated = new URLClassLoader("isolated-app", urls, ClassLoader.getPlatformClassLoader())) {
      runIn(isolated, args);
    }
    if ("UnlistedLoader".equals(System.getProperty("isolated.also-in"))) {
      try (URLClassLoader second = new UnlistedLoader(urls)) {
        runIn(second, args);
      }
    }
  }

  private static void runIn(URLClassLoader loader, String[] args) throws Exception {
    Class<?> app = Class.forName("dev.aicost.it.app.OpenAiScenarios", true, loader);
    if (app.getClassLoader() != loader) {
      throw new IllegalStateException("not isolated: " + app.getClassLoader());
    }
    System.out.println("RESULT loader=" + app.getClassLoader().getName());
    app.getMethod("main", String[].class).invoke(null, (Object) args);
  }
}
