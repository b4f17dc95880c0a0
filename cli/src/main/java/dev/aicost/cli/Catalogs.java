package dev.aicost.cli;

import dev.aicost.pricing.CatalogImport;
import dev.aicost.pricing.LiteLlmImport;
import dev.aicost.pricing.PricingCatalog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Options shared by the commands that read a catalog. */
final class Catalogs {

  private Catalogs() {}

  /**
   * The bundled catalog, with the LiteLLM map of {@code --import} under it and the user catalog of {@code --catalog}
   * over it, as the agent assembles them from {@code aicost.pricing.import} and {@code aicost.pricing.catalog}. The
   * import's summary goes to {@code err}.
   */
  static PricingCatalog from(CommandLine cl, PrintStream err) throws IOException, UsageError {
    PricingCatalog catalog = PricingCatalog.bundled();
    String spec = cl.option("import");
    if (spec != null) {
      CatalogImport imp;
      try {
        imp = CatalogImport.parse(spec);
      } catch (IllegalArgumentException e) {
        throw new UsageError(cl.command(), "--import " + e.getMessage());
      }
      LiteLlmImport.Result result = imp.read();
      err.println("aicost: " + result.summary());
      catalog = imp.applyTo(catalog, result);
    }
    String file = cl.option("catalog");
    if (file != null) {
      Path path = Paths.get(file);
      catalog = catalog.layer(PricingCatalog.load(path));
    }
    return catalog;
  }

  static LocalDate date(CommandLine cl) throws UsageError {
    String d = cl.option("date");
    if (d == null) {
      return LocalDate.now(ZoneOffset.UTC);
    }
    try {
      return LocalDate.parse(d);
    } catch (DateTimeParseException e) {
      throw new UsageError(cl.command(), "--date must be an ISO date YYYY-MM-DD, was '" + d + "'");
    }
  }
}
