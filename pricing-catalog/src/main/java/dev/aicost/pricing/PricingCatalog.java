package dev.aicost.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A validated, immutable price catalog: model entries with effective-dated prices, plus (for user catalogs)
 * discounts. Build one from the bundled data ({@link #bundled()}), a file ({@link #load(Path)}) or text
 * ({@link #parse(String, String)}), and layer a user catalog over the bundled one with {@link #layer}. The format is
 * documented in {@code docs/pricing-catalog.md}.
 */
public final class PricingCatalog {

  /** The schema version this code reads. */
  public static final int SCHEMA_VERSION = CatalogParser.SCHEMA_VERSION;

  static final String BUNDLED_DIR = "dev/aicost/pricing/catalog/";

  private static final class BundledHolder {
    static final PricingCatalog INSTANCE = loadBundled();
  }

  private final int schemaVersion;
  private final String catalogVersion;
  private final String origin;
  private final List<ModelEntry> models;
  private final List<Discount> discounts;
  private final List<Deployment> deployments;

  PricingCatalog(int schemaVersion, String catalogVersion, String origin, List<ModelEntry> models,
      List<Discount> discounts, List<Deployment> deployments) {
    this.schemaVersion = schemaVersion;
    this.catalogVersion = catalogVersion;
    this.origin = origin;
    this.models = Collections.unmodifiableList(new ArrayList<>(models));
    this.discounts = Collections.unmodifiableList(new ArrayList<>(discounts));
    this.deployments = Collections.unmodifiableList(new ArrayList<>(deployments));
  }

  /**
   * The catalog shipped in this jar ({@code dev/aicost/pricing/catalog/index.json} and the per-provider files it
   * lists), loaded once.
   */
  public static PricingCatalog bundled() {
    return BundledHolder.INSTANCE;
  }

  /**
   * Reads a catalog file: YAML when the name ends in {@code .yaml} or {@code .yml} (needs jackson-dataformat-yaml on
   * the class path), JSON otherwise.
   *
   * @throws CatalogValidationException listing every problem of the file
   */
  public static PricingCatalog load(Path file) throws IOException {
    String content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      return parseYaml(content, file.toString());
    }
    return parse(content, file.toString());
  }

  /**
   * Parses a JSON catalog.
   *
   * @param origin names the document in error messages, e.g. a file name
   * @throws CatalogValidationException listing every problem of the document
   */
  public static PricingCatalog parse(String json, String origin) {
    return CatalogParser.parse(CatalogJson.read(json, origin), origin);
  }

  /**
   * Parses a YAML catalog (same schema as JSON).
   *
   * @throws IllegalStateException when jackson-dataformat-yaml is not on the class path
   */
  public static PricingCatalog parseYaml(String yaml, String origin) {
    JsonNode tree;
    try {
      tree = YamlCatalogReader.read(yaml, origin);
    } catch (NoClassDefFoundError e) {
      throw new IllegalStateException(
          "reading YAML catalog " + origin + " needs com.fasterxml.jackson.dataformat:jackson-dataformat-yaml on the "
              + "class path; add it or write the catalog as JSON",
          e);
    }
    return CatalogParser.parse(tree, origin);
  }

  /**
   * This catalog with {@code overlay} layered over it: the overlay's models are added; an overlay model with the id
   * of one of ours replaces its price sets and inherits the fields it omits (aliases, patterns, mode, note); an
   * overlay id equal to one of our aliases takes that alias over; the overlay's discounts and deployments are added
   * (replacing ours with the same selector or name). The result's version is {@code ours+theirs}.
   *
   * @throws CatalogValidationException when the layers conflict (an alias naming two models, a discount selecting
   *     nothing), listing every conflict
   */
  public PricingCatalog layer(PricingCatalog overlay) {
    String layeredOrigin = origin + " + " + overlay.origin;
    Errors errors = new Errors(layeredOrigin);
    Map<String, ModelEntry> merged = new LinkedHashMap<>();
    for (ModelEntry e : models) {
      merged.put(CatalogChecks.key(e.provider(), e.id()), e);
    }
    for (ModelEntry o : overlay.models) {
      String key = CatalogChecks.key(o.provider(), o.id());
      ModelEntry base = merged.get(key);
      if (base != null) {
        merged.put(key, base.inheritInto(o));
        continue;
      }
      for (Map.Entry<String, ModelEntry> m : merged.entrySet()) {
        ModelEntry owner = m.getValue();
        if (owner.provider().equals(o.provider()) && owner.aliases().contains(o.id())) {
          List<String> kept = new ArrayList<>(owner.aliases());
          kept.remove(o.id());
          m.setValue(owner.withAliases(kept));
        }
      }
      merged.put(key, o);
    }
    List<ModelEntry> entries = new ArrayList<>(merged.values());
    CatalogChecks.checkEntries(entries, errors);
    Map<String, Discount> ds = new LinkedHashMap<>();
    for (Discount d : discounts) {
      ds.put(d.selector(), d);
    }
    for (Discount d : overlay.discounts) {
      ds.put(d.selector(), d);
    }
    List<Discount> allDiscounts = new ArrayList<>(ds.values());
    Map<String, Deployment> deps = new LinkedHashMap<>();
    for (Deployment d : deployments) {
      deps.put(d.key(), d);
    }
    for (Deployment d : overlay.deployments) {
      deps.put(d.key(), d);
    }
    List<Deployment> allDeployments = new ArrayList<>(deps.values());
    if (errors.isEmpty()) {
      ModelIndex index = new ModelIndex(entries);
      CatalogChecks.checkDiscounts(allDiscounts, index, errors);
      CatalogChecks.checkDeployments(allDeployments, index, errors);
    }
    errors.throwIfAny();
    return new PricingCatalog(
        schemaVersion, catalogVersion + '+' + overlay.catalogVersion, layeredOrigin, entries, allDiscounts,
        allDeployments);
  }

  public int schemaVersion() {
    return schemaVersion;
  }

  /** The catalog's version, e.g. {@code 2026.11.28}; {@code 2026.11.28+acme-3} for a layered catalog. */
  public String catalogVersion() {
    return catalogVersion;
  }

  /** Where the catalog came from, for messages. */
  public String origin() {
    return origin;
  }

  /** Every model entry, in catalog order. */
  public List<ModelEntry> models() {
    return models;
  }

  /** The model entries of one provider, in catalog order. */
  public List<ModelEntry> models(String provider) {
    List<ModelEntry> out = new ArrayList<>();
    for (ModelEntry e : models) {
      if (e.provider().equals(provider)) {
        out.add(e);
      }
    }
    return out;
  }

  /** The entry with exactly this provider and id, or {@code null}. */
  public ModelEntry model(String provider, String id) {
    for (ModelEntry e : models) {
      if (e.provider().equals(provider) && e.id().equals(id)) {
        return e;
      }
    }
    return null;
  }

  /** The providers that have at least one model, in catalog order. */
  public Set<String> providers() {
    Set<String> out = new LinkedHashSet<>();
    for (ModelEntry e : models) {
      out.add(e.provider());
    }
    return out;
  }

  public List<Discount> discounts() {
    return discounts;
  }

  /** Deployment names mapped to models (user catalogs), in catalog order. */
  public List<Deployment> deployments() {
    return deployments;
  }

  /**
   * This catalog with {@code added} deployments (replacing ours of the same provider and name), for deployments
   * configured outside a catalog file.
   *
   * @throws CatalogValidationException when a deployment names a model the catalog does not have
   */
  public PricingCatalog withDeployments(List<Deployment> added, String addedOrigin) {
    Map<String, Deployment> deps = new LinkedHashMap<>();
    for (Deployment d : deployments) {
      deps.put(d.key(), d);
    }
    for (Deployment d : added) {
      deps.put(d.key(), d);
    }
    List<Deployment> all = new ArrayList<>(deps.values());
    Errors errors = new Errors(addedOrigin);
    CatalogChecks.checkDeployments(all, new ModelIndex(models), errors);
    errors.throwIfAny();
    return new PricingCatalog(schemaVersion, catalogVersion, origin + " + " + addedOrigin, models, discounts, all);
  }

  @Override
  public String toString() {
    return "PricingCatalog{" + catalogVersion + ", " + models.size() + " models, from " + origin + '}';
  }

  /** The image compiled at build time when it matches the JSON in this jar ({@link CatalogImage}), else the JSON. */
  private static PricingCatalog loadBundled() {
    PricingCatalog image = CatalogImage.readBundled();
    return image != null ? image : parseBundled();
  }

  /** The bundled catalog parsed and validated from its JSON files. */
  static PricingCatalog parseBundled() {
    String indexName = BUNDLED_DIR + "index.json";
    String indexOrigin = "classpath:" + indexName;
    Errors errors = new Errors(indexOrigin);
    JsonFields index = JsonFields.of(CatalogJson.read(resource(indexName), indexOrigin), "", errors);
    if (index == null) {
      errors.throwIfAny();
    }
    Long schema = index.integer("schema_version", true, 1);
    if (schema != null && schema != SCHEMA_VERSION) {
      errors.add("schema_version", "unsupported schema_version " + schema);
    }
    String version = index.string("catalog_version", true);
    List<String> files = index.strings("files");
    if (files == null || files.isEmpty()) {
      errors.add("files", "required: the catalog files to load");
    }
    index.string("note", false);
    index.finish();
    errors.throwIfAny();
    List<ModelEntry> all = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String f : files) {
      String origin = "classpath:" + BUNDLED_DIR + f;
      try {
        PricingCatalog part = parse(resource(BUNDLED_DIR + f), origin);
        if (!part.catalogVersion.equals(version)) {
          problems.add(origin + ": catalog_version '" + part.catalogVersion + "' differs from index.json ('" + version
              + "')");
        }
        if (!part.discounts.isEmpty()) {
          problems.add(origin + ": discounts belong in user catalogs, not in bundled data");
        }
        if (!part.deployments.isEmpty()) {
          problems.add(origin + ": deployments belong in user catalogs, not in bundled data");
        }
        all.addAll(part.models);
      } catch (CatalogValidationException e) {
        for (String err : e.errors()) {
          problems.add(origin + ": " + err);
        }
      }
    }
    Errors cross = new Errors("classpath:" + BUNDLED_DIR);
    CatalogChecks.checkEntries(all, cross);
    if (!problems.isEmpty() || !cross.isEmpty()) {
      try {
        cross.throwIfAny();
      } catch (CatalogValidationException e) {
        problems.addAll(e.errors());
      }
      throw new CatalogValidationException("classpath:" + BUNDLED_DIR, problems);
    }
    return new PricingCatalog(SCHEMA_VERSION, version, "bundled catalog " + version, all,
        Collections.<Discount>emptyList(), Collections.<Deployment>emptyList());
  }

  /** The files {@code index.json} lists, in its order. */
  static List<String> bundledFiles() {
    String indexName = BUNDLED_DIR + "index.json";
    Errors errors = new Errors("classpath:" + indexName);
    JsonFields index = JsonFields.of(CatalogJson.read(resource(indexName), "classpath:" + indexName), "", errors);
    List<String> files = index == null ? null : index.strings("files");
    return files == null ? Collections.<String>emptyList() : files;
  }

  private static String resource(String name) {
    return new String(resourceBytes(name), StandardCharsets.UTF_8);
  }

  static byte[] resourceBytes(String name) {
    try (InputStream in = PricingCatalog.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("bundled price catalog resource missing: " + name);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[16384];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("reading bundled price catalog resource " + name, e);
    }
  }
}
