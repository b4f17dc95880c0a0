package dev.aicost.exporters;

import dev.aicost.pricing.CatalogImport;
import dev.aicost.pricing.CatalogValidationException;
import dev.aicost.pricing.CostCalculator;
import dev.aicost.pricing.Deployment;
import dev.aicost.pricing.LiteLlmImport;
import dev.aicost.pricing.PricingCatalog;
import dev.aicost.sdk.AiCostSettings;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The price catalog of a running application, assembled from settings: the bundled catalog, a LiteLLM price map
 * imported under it ({@value #IMPORT}), the user's catalog file layered over it ({@value #CATALOG}) and Azure
 * deployment mappings ({@value #AZURE_DEPLOYMENTS}). It never fails: a layer that cannot be used is left out with
 * one line in {@link #problems()} naming the setting, the file and the first error, and pricing carries on with
 * the layers that work (at worst the bundled catalog).
 */
public final class PricingSetup {

  /** Setting: a user catalog file (JSON, or YAML when named {@code .yaml}/{@code .yml}) layered over the bundled. */
  public static final String CATALOG = "aicost.pricing.catalog";
  /** Setting: {@code litellm:FILE[,prefer-import]}, a LiteLLM price map imported under the bundled catalog. */
  public static final String IMPORT = "aicost.pricing.import";
  /** Setting: Azure OpenAI deployments, {@code NAME=MODEL[@TYPE],...} (see {@link Deployment#parseAzure}). */
  public static final String AZURE_DEPLOYMENTS = "aicost.pricing.azure.deployments";

  private final CostCalculator calculator;
  private final List<String> problems;
  private final List<String> notes;

  private PricingSetup(CostCalculator calculator, List<String> problems, List<String> notes) {
    this.calculator = calculator;
    this.problems = Collections.unmodifiableList(problems);
    this.notes = Collections.unmodifiableList(notes);
  }

  /** Assembles the catalog the settings describe; never throws. */
  public static PricingSetup load(AiCostSettings settings) {
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    PricingCatalog bundled = PricingCatalog.bundled();
    PricingCatalog catalog = bundled;

    String importSpec = setting(settings, IMPORT, problems);
    if (importSpec != null) {
      try {
        CatalogImport imp = CatalogImport.parse(importSpec);
        LiteLlmImport.Result result = imp.read();
        catalog = imp.applyTo(catalog, result);
        notes.add(result.summary());
      } catch (IllegalArgumentException e) {
        problems.add("invalid setting " + IMPORT + " = '" + importSpec + "': " + e.getMessage()
            + "; prices are not imported");
      } catch (CatalogValidationException e) {
        problems.add("price import " + importSpec + " (" + IMPORT + ") rejected: " + firstError(e)
            + "; prices are not imported");
      } catch (IOException e) {
        problems.add("price import " + importSpec + " (" + IMPORT + ") cannot be read: " + describe(e)
            + "; prices are not imported");
      } catch (RuntimeException e) {
        problems.add("price import " + importSpec + " (" + IMPORT + ") failed: " + e + "; prices are not imported");
      }
    }

    String file = setting(settings, CATALOG, problems);
    if (file != null) {
      String fallback = "; calls are priced with the " + (catalog == bundled ? "bundled catalog " : "catalog ")
          + catalog.catalogVersion() + " (check the file with: aicost catalog validate " + file + ")";
      try {
        PricingCatalog user = PricingCatalog.load(Paths.get(file));
        catalog = catalog.layer(user);
        notes.add("pricing catalog " + file + " layered: catalog " + catalog.catalogVersion());
      } catch (CatalogValidationException e) {
        problems.add("pricing catalog " + file + " (" + CATALOG + ") rejected: " + firstError(e) + fallback);
      } catch (InvalidPathException e) {
        problems.add("invalid setting " + CATALOG + " = '" + file + "': not a file path" + fallback);
      } catch (IOException e) {
        problems.add("pricing catalog " + file + " (" + CATALOG + ") cannot be read: " + describe(e) + fallback);
      } catch (RuntimeException e) { // e.g. a YAML file without jackson-dataformat-yaml
        problems.add("pricing catalog " + file + " (" + CATALOG + ") cannot be used: " + e.getMessage() + fallback);
      }
    }

    String deployments = setting(settings, AZURE_DEPLOYMENTS, problems);
    if (deployments != null) {
      try {
        catalog = catalog.withDeployments(Deployment.parseAzure(deployments, AZURE_DEPLOYMENTS), AZURE_DEPLOYMENTS);
      } catch (IllegalArgumentException e) {
        problems.add("invalid setting " + AZURE_DEPLOYMENTS + ": " + e.getMessage()
            + "; Azure deployments are priced by the model the response reports, at global-deployment prices");
      } catch (CatalogValidationException e) {
        problems.add("invalid setting " + AZURE_DEPLOYMENTS + ": " + firstError(e)
            + "; Azure deployments are priced by the model the response reports, at global-deployment prices");
      }
    }

    CostCalculator calculator;
    if (catalog == bundled) {
      calculator = CostCalculator.bundled();
    } else {
      try {
        calculator = CostCalculator.of(catalog);
      } catch (RuntimeException e) {
        problems.add("price catalog " + catalog.catalogVersion() + " cannot be used: " + firstLine(e)
            + "; calls are priced with the bundled catalog " + bundled.catalogVersion());
        calculator = CostCalculator.bundled();
      }
    }
    return new PricingSetup(calculator, problems, notes);
  }

  private static String setting(AiCostSettings settings, String name, List<String> problems) {
    String v = settings.getString(name);
    return v == null || v.trim().isEmpty() ? null : v.trim();
  }

  /** The first error of a rejected catalog, and how many more there are: one line whatever the file holds. */
  static String firstError(CatalogValidationException e) {
    List<String> errors = e.errors();
    if (errors.isEmpty()) {
      return firstLine(e);
    }
    String first = errors.get(0).replace('\n', ' ');
    int more = errors.size() - 1;
    return first + (more == 0 ? "" : " (and " + more + " more error" + (more == 1 ? "" : "s") + ")");
  }

  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    return firstLine(e);
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).trim();
  }

  /** The calculator to price calls with. */
  public CostCalculator calculator() {
    return calculator;
  }

  /** One line per layer that could not be used (empty when every configured layer works). */
  public List<String> problems() {
    return problems;
  }

  /** One line per layer used, e.g. {@code imported 2,288 models from ...}. */
  public List<String> notes() {
    return notes;
  }
}
