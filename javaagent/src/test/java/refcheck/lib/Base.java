package refcheck.lib;

/** Version 1 of a library type, as a module's helper was compiled against it (ReferenceCheckerTest). */
public abstract class Base {
  public int count;

  public abstract String name();
}
