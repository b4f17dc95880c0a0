package dev.aicost.cli;

import dev.aicost.pricing.PricingCatalog;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Options shared by the commands that read a catalog. */
final class Catalogs {

  private Catalogs() {}

  /** The bundled catalog, with the user catalog of {@code --catalog} layered over it when given. */
  static PricingCatalog from(CommandLine cl) throws IOException {
    String file = cl.option("catalog");
    if (file == null) {
      return PricingCatalog.bundled();
    }
    Path path = Paths.get(file);
    return PricingCatalog.bundled().layer(PricingCatalog.load(path));
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
