package dev.aicost.pricing;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * An import of third-party price data, as written in the {@code aicost.pricing.import} setting and the CLI's
 * {@code --import} option: {@code litellm:FILE} (the bundled catalog wins for every model it prices) or
 * {@code litellm:FILE,prefer-import} (the imported prices replace bundled ones for the same ids).
 */
public final class CatalogImport {

  private final Path file;
  private final boolean preferImport;

  private CatalogImport(Path file, boolean preferImport) {
    this.file = file;
    this.preferImport = preferImport;
  }

  /**
   * Parses an import specification.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static CatalogImport parse(String spec) {
    String s = spec == null ? "" : spec.trim();
    if (!s.startsWith("litellm:")) {
      throw new IllegalArgumentException(
          "'" + s + "' is not a price import: expected litellm:FILE or litellm:FILE,prefer-import");
    }
    String rest = s.substring("litellm:".length());
    boolean prefer = false;
    if (rest.endsWith(",prefer-import")) {
      prefer = true;
      rest = rest.substring(0, rest.length() - ",prefer-import".length());
    } else if (rest.endsWith(",prefer-bundled")) {
      rest = rest.substring(0, rest.length() - ",prefer-bundled".length());
    }
    if (rest.trim().isEmpty()) {
      throw new IllegalArgumentException("'" + s + "' names no file: expected litellm:FILE");
    }
    try {
      return new CatalogImport(Paths.get(rest.trim()), prefer);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("'" + rest + "' is not a file path", e);
    }
  }

  public Path file() {
    return file;
  }

  /** Whether imported prices replace bundled ones for the same model ids. */
  public boolean preferImport() {
    return preferImport;
  }

  /** Reads the file. */
  public LiteLlmImport.Result read() throws IOException {
    return LiteLlmImport.read(file);
  }

  /** {@code base} with the import layered under it (or over it, with {@code prefer-import}). */
  public PricingCatalog applyTo(PricingCatalog base, LiteLlmImport.Result imported) {
    return LiteLlmImport.layerUnder(base, imported, preferImport);
  }

  @Override
  public String toString() {
    return "litellm:" + file + (preferImport ? ",prefer-import" : "");
  }
}
