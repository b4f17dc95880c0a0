package dev.aicost.pricing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The bundled catalog, compiled at build time into a compact binary image ({@code catalog/bundled.image}) that is
 * read in milliseconds, instead of ~310 KB of JSON parsed and validated at every start of the agent
 * (docs/performance.md#start-up). The image is written by {@link #main} during the build, from the catalog the JSON
 * files give after validation, and records a digest of those files: an image that does not match the JSON shipped
 * next to it (a stale build, an edited resource) is ignored and the JSON is parsed as before. Nothing here is a
 * public format: it changes with the code that writes it, and the class is public only for the build to run {@link
 * #main}.
 */
public final class CatalogImage {

  /** Changed whenever the layout below changes. */
  private static final int FORMAT = 1;

  static final String RESOURCE = "dev/aicost/pricing/catalog/bundled.image";

  private CatalogImage() {}

  /** Writes the image of the bundled catalog (as parsed from its JSON) to the path given. Run by the build. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: CatalogImage OUTPUT_FILE");
    }
    List<String> files = PricingCatalog.bundledFiles();
    PricingCatalog catalog = PricingCatalog.parseBundled();
    Path out = Paths.get(args[0]);
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.write(out, write(catalog, files, digest(files)));
  }

  /** The bundled catalog from the image in this jar; {@code null} when there is none or it does not match the JSON. */
  static PricingCatalog readBundled() {
    byte[] image;
    try (java.io.InputStream in = CatalogImage.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return null;
      }
      image = in.readAllBytes();
    } catch (IOException e) {
      return null;
    }
    return read(image);
  }

  /**
   * A digest of {@code index.json} and the catalog files, each with its name: any change to the JSON shipped makes an
   * image made from other JSON stale. (Not a security measure: the jar is trusted; this catches stale builds.)
   */
  static byte[] digest(List<String> files) {
    CRC32 crc = new CRC32();
    long length = 0;
    List<String> all = new ArrayList<>();
    all.add("index.json");
    all.addAll(files);
    for (String f : all) {
      byte[] name = f.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] content = PricingCatalog.resourceBytes(PricingCatalog.BUNDLED_DIR + f);
      crc.update(name);
      crc.update(content);
      length += name.length + content.length;
    }
    return ByteBuffer.allocate(16).putLong(crc.getValue()).putLong(length).array();
  }

  static byte[] write(PricingCatalog catalog, List<String> files, byte[] digest) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(FORMAT);
      strings(out, files);
      out.writeInt(digest.length);
      out.write(digest);
      out.writeInt(catalog.schemaVersion());
      out.writeUTF(catalog.catalogVersion());
      List<ModelEntry> models = catalog.models();
      out.writeInt(models.size());
      for (ModelEntry m : models) {
        writeModel(out, m);
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
  }

  /**
   * The catalog in {@code image}, or {@code null} when the image was written by another format, or from other JSON
   * than the jar holds now, or cannot be read.
   */
  static PricingCatalog read(byte[] image) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(image));
      if (in.readInt() != FORMAT) {
        return null;
      }
      List<String> files = strings(in);
      byte[] recorded = new byte[in.readInt()];
      in.readFully(recorded);
      if (!java.util.Arrays.equals(recorded, digest(files))) {
        return null;
      }
      int schemaVersion = in.readInt();
      String version = in.readUTF();
      int n = in.readInt();
      List<ModelEntry> models = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        models.add(readModel(in));
      }
      return new PricingCatalog(
          schemaVersion,
          version,
          "bundled catalog " + version,
          models,
          Collections.<Discount>emptyList(),
          Collections.<Deployment>emptyList());
    } catch (IOException | RuntimeException e) {
      return null; // unreadable: the caller parses the JSON
    }
  }

  private static void writeModel(DataOutputStream out, ModelEntry m) throws IOException {
    out.writeUTF(m.provider());
    out.writeUTF(m.id());
    strings(out, m.aliases());
    strings(out, m.patterns());
    nullable(out, m.mode());
    nullable(out, m.note());
    out.writeInt(m.prices().size());
    for (PriceSet p : m.prices()) {
      writePriceSet(out, p);
    }
    nullable(out, m.origin);
    nullable(out, m.path);
    out.writeBoolean(m.aliasesDeclared);
    out.writeBoolean(m.patternsDeclared);
    out.writeBoolean(m.modeDeclared);
    out.writeBoolean(m.noteDeclared);
  }

  private static ModelEntry readModel(DataInputStream in) throws IOException {
    String provider = in.readUTF();
    String id = in.readUTF();
    List<String> aliases = strings(in);
    List<Pattern> patterns = new ArrayList<>();
    for (String p : strings(in)) {
      patterns.add(Pattern.compile(p)); // as CatalogParser compiles them
    }
    String mode = nullable(in);
    String note = nullable(in);
    int n = in.readInt();
    List<PriceSet> prices = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      prices.add(readPriceSet(in));
    }
    String origin = nullable(in);
    String path = nullable(in);
    boolean aliasesDeclared = in.readBoolean();
    boolean patternsDeclared = in.readBoolean();
    boolean modeDeclared = in.readBoolean();
    boolean noteDeclared = in.readBoolean();
    return new ModelEntry(
        provider,
        id,
        aliases,
        patterns,
        mode,
        note,
        prices,
        origin,
        path,
        aliasesDeclared,
        patternsDeclared,
        modeDeclared,
        noteDeclared);
  }

  private static void writePriceSet(DataOutputStream out, PriceSet p) throws IOException {
    date(out, p.effectiveFrom());
    date(out, p.effectiveTo());
    nullable(out, p.source());
    date(out, p.verifiedOn());
    nullable(out, p.verifiedAgainst());
    nullable(out, p.note());
    nullable(out, p.currency());
    writeCard(out, p.rates());
    out.writeInt(p.billedAsText().size());
    for (CostComponent c : p.billedAsText()) {
      out.writeUTF(c.name());
    }
    out.writeInt(p.regional().size());
    for (RegionalPricing r : p.regional()) {
      strings(out, r.regions());
      decimal(out, r.multiplier());
      writeCard(out, r.rates());
    }
    writeCard(out, p.fineTune());
  }

  private static PriceSet readPriceSet(DataInputStream in) throws IOException {
    LocalDate from = date(in);
    LocalDate to = date(in);
    String source = nullable(in);
    LocalDate verifiedOn = date(in);
    String verifiedAgainst = nullable(in);
    String note = nullable(in);
    String currency = nullable(in);
    RateCard rates = readCard(in);
    Set<CostComponent> billedAsText = EnumSet.noneOf(CostComponent.class);
    for (int i = in.readInt(); i > 0; i--) {
      billedAsText.add(CostComponent.valueOf(in.readUTF()));
    }
    int n = in.readInt();
    List<RegionalPricing> regional = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<String> regions = strings(in);
      BigDecimal multiplier = decimal(in);
      regional.add(new RegionalPricing(regions, multiplier, readCard(in)));
    }
    RateCard fineTune = readCard(in);
    return new PriceSet(from, to, source, verifiedOn, verifiedAgainst, note, currency, rates, billedAsText, regional, fineTune);
  }

  private static void writeCard(DataOutputStream out, RateCard card) throws IOException {
    out.writeBoolean(card != null);
    if (card == null) {
      return;
    }
    out.writeInt(card.serviceTiers().size());
    for (ServiceTier tier : card.serviceTiers()) {
      out.writeUTF(tier.name());
      Map<CostComponent, BigDecimal> prices = card.rates(tier).asMap();
      out.writeInt(prices.size());
      for (Map.Entry<CostComponent, BigDecimal> e : prices.entrySet()) {
        out.writeUTF(e.getKey().name());
        decimal(out, e.getValue());
      }
    }
    out.writeInt(card.contextTiers().size());
    for (ContextTier t : card.contextTiers()) {
      out.writeUTF(t.name());
      out.writeUTF(t.operator().name());
      out.writeLong(t.threshold());
      writeCard(out, t.rates());
    }
  }

  private static RateCard readCard(DataInputStream in) throws IOException {
    if (!in.readBoolean()) {
      return null;
    }
    Map<ServiceTier, Rates> tiers = new EnumMap<>(ServiceTier.class);
    for (int i = in.readInt(); i > 0; i--) {
      ServiceTier tier = ServiceTier.valueOf(in.readUTF());
      Map<CostComponent, BigDecimal> prices = new EnumMap<>(CostComponent.class);
      for (int j = in.readInt(); j > 0; j--) {
        CostComponent c = CostComponent.valueOf(in.readUTF());
        prices.put(c, decimal(in));
      }
      tiers.put(tier, new Rates(prices));
    }
    int n = in.readInt();
    List<ContextTier> contextTiers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String name = in.readUTF();
      ContextTier.Operator operator = ContextTier.Operator.valueOf(in.readUTF());
      long threshold = in.readLong();
      contextTiers.add(new ContextTier(name, operator, threshold, readCard(in)));
    }
    return new RateCard(tiers, contextTiers);
  }

  /** Exact: the unscaled value and the scale, so that {@code equals} (scale included) holds after reading. */
  private static void decimal(DataOutputStream out, BigDecimal d) throws IOException {
    out.writeBoolean(d != null);
    if (d != null) {
      byte[] unscaled = d.unscaledValue().toByteArray();
      out.writeInt(d.scale());
      out.writeShort(unscaled.length);
      out.write(unscaled);
    }
  }

  private static BigDecimal decimal(DataInputStream in) throws IOException {
    if (!in.readBoolean()) {
      return null;
    }
    int scale = in.readInt();
    byte[] unscaled = new byte[in.readShort()];
    in.readFully(unscaled);
    return new BigDecimal(new BigInteger(unscaled), scale);
  }

  private static void date(DataOutputStream out, LocalDate d) throws IOException {
    out.writeBoolean(d != null);
    if (d != null) {
      out.writeLong(d.toEpochDay());
    }
  }

  private static LocalDate date(DataInputStream in) throws IOException {
    return in.readBoolean() ? LocalDate.ofEpochDay(in.readLong()) : null;
  }

  private static void nullable(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  private static String nullable(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  private static void strings(DataOutputStream out, List<String> values) throws IOException {
    out.writeInt(values.size());
    for (String v : values) {
      out.writeUTF(v);
    }
  }

  private static List<String> strings(DataInputStream in) throws IOException {
    int n = in.readInt();
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(in.readUTF());
    }
    return out;
  }
}
