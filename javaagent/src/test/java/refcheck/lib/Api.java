package refcheck.lib;

/** Version 1 of a library interface (ReferenceCheckerTest). */
public interface Api {
  void run();
}
