package dev.aicost.bootstrap;

import java.lang.ref.WeakReference;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The application's own OpenTelemetry, as seen by aicost: readers registered per class loader that holds an
 * {@code io.opentelemetry.api}. The recorder asks {@link #current()} when a call or task starts, so aicost spans
 * join the application's trace (whether its span came from the OpenTelemetry Java agent, an application-managed SDK
 * or an extracted remote parent) and trusted inbound baggage becomes attribution.
 */
public final class AppTelemetry {

  /** More copies of the API than this in one JVM are not read (each costs a lookup per call). */
  static final int MAX_READERS = 16;

  private static final CopyOnWriteArrayList<Registration> REGISTRATIONS = new CopyOnWriteArrayList<>();

  private AppTelemetry() {}

  /**
   * Registers the reader class {@code className}, defined in {@code loader}; it is instantiated on first use (not
   * here: this is called while the loader is busy defining classes).
   */
  public static void register(ClassLoader loader, String className) {
    if (loader == null || className == null) {
      return;
    }
    synchronized (REGISTRATIONS) {
      REGISTRATIONS.removeIf(r -> r.className != null && r.loader.get() == null);
      for (Registration r : REGISTRATIONS) {
        if (r.loader.get() == loader) {
          return;
        }
      }
      if (REGISTRATIONS.size() < MAX_READERS) {
        REGISTRATIONS.add(new Registration(loader, className));
      }
    }
  }

  /** Registers a reader instance directly (the SDK used without the agent, tests). */
  public static void register(AppContextReader reader) {
    if (reader != null && REGISTRATIONS.size() < MAX_READERS) {
      REGISTRATIONS.add(new Registration(reader));
    }
  }

  /** Removes a reader registered with {@link #register(AppContextReader)}. */
  public static void unregister(AppContextReader reader) {
    REGISTRATIONS.removeIf(r -> r.reader == reader);
  }

  public static boolean hasReaders() {
    return !REGISTRATIONS.isEmpty();
  }

  /**
   * The application's current context: the first registered API copy with a current span or {@code aicost.*}
   * baggage wins (only the copy the application used to make its span current has one). {@code null} when none.
   */
  public static AppContext current() {
    if (REGISTRATIONS.isEmpty()) {
      return null;
    }
    for (Registration r : REGISTRATIONS) {
      AppContextReader reader = r.reader();
      if (reader == null) {
        continue;
      }
      AppContext c = new AppContext();
      try {
        reader.read(c);
      } catch (Throwable t) {
        continue;
      }
      if (!c.isEmpty()) {
        return c;
      }
    }
    return null;
  }

  private static final class Registration {
    final WeakReference<ClassLoader> loader;
    final String className;
    volatile AppContextReader reader;
    volatile boolean failed;

    Registration(ClassLoader loader, String className) {
      this.loader = new WeakReference<>(loader);
      this.className = className;
    }

    Registration(AppContextReader reader) {
      this.loader = new WeakReference<>(null);
      this.className = null;
      this.reader = reader;
    }

    AppContextReader reader() {
      AppContextReader r = reader;
      if (r != null || failed) {
        return r;
      }
      synchronized (this) {
        if (reader == null && !failed) {
          ClassLoader l = loader.get();
          try {
            if (l == null) {
              failed = true;
            } else {
              reader =
                  (AppContextReader) Class.forName(className, true, l).getDeclaredConstructor().newInstance();
            }
          } catch (Throwable t) {
            failed = true;
          }
        }
        return reader;
      }
    }
  }
}
