package refcheck.helper;

import refcheck.lib.Api;
import refcheck.lib.Base;
import refcheck.lib.Impl;

/** A module's helper that extends and calls version 1 of the library in refcheck.lib (ReferenceCheckerTest). */
public class LibraryHelper extends Base implements Api {
  @Override
  public String name() {
    Object o = new Impl();
    Impl impl = (Impl) o;
    // inherited method, a field of the superclass, a method only version 1 has, a JDK method up the hierarchy
    return impl.name() + impl.count + impl.legacy() + impl.toString();
  }

  @Override
  public void run() {}
}
