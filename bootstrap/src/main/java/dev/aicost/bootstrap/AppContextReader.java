package dev.aicost.bootstrap;

/**
 * Reads the current context of one copy of the OpenTelemetry API that the application uses. The agent defines an
 * implementation in each class loader where it finds {@code io.opentelemetry.api} and registers it with
 * {@link AppTelemetry}.
 */
public interface AppContextReader {

  /** Fills {@code into} from the current context; must not throw. */
  void read(AppContext into);
}
