package refcheck.lib;

/** Version 1 of a library class (ReferenceCheckerTest). */
public class Impl extends Base implements Api {
  @Override
  public String name() {
    return "impl";
  }

  @Override
  public void run() {}

  public String legacy() {
    return "legacy";
  }
}
