package dev.aicost.pricing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
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

  /**
   * Changed whenever the layout below changes. Since 2: strings stored once in a table and referred to by index, enum
   * constants by ordinal under a table of their names; read from the byte array directly (format 1 read ~12,000
   * strings through {@code DataInputStream.readUTF}, enough calls for the JIT to compile it at start-up). 3: every
   * string, the header's too, as its UTF-8 length and bytes.
   */
  private static final int FORMAT = 3;

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
      byte[] name = f.getBytes(StandardCharsets.UTF_8);
      byte[] content = PricingCatalog.resourceBytes(PricingCatalog.BUNDLED_DIR + f);
      crc.update(name);
      crc.update(content);
      length += name.length + content.length;
    }
    return ByteBuffer.allocate(16).putLong(crc.getValue()).putLong(length).array();
  }

  static byte[] write(PricingCatalog catalog, List<String> files, byte[] digest) {
    try {
      Out body = new Out();
      List<ModelEntry> models = catalog.models();
      body.data.writeInt(models.size());
      for (ModelEntry m : models) {
        writeModel(body, m);
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(FORMAT);
      out.writeInt(files.size());
      for (String f : files) {
        utf8(out, f);
      }
      out.writeInt(digest.length);
      out.write(digest);
      out.writeInt(catalog.schemaVersion());
      utf8(out, catalog.catalogVersion());
      enumNames(out, CostComponent.values());
      enumNames(out, ServiceTier.values());
      enumNames(out, ContextTier.Operator.values());
      out.writeInt(body.strings.size());
      for (String v : body.strings.keySet()) {
        utf8(out, v);
      }
      body.data.flush();
      body.bytes.writeTo(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
  }

  /** The names of an enum's constants in ordinal order: the reader maps each written ordinal through them. */
  private static void enumNames(DataOutputStream out, Enum<?>[] constants) throws IOException {
    out.writeInt(constants.length);
    for (Enum<?> c : constants) {
      utf8(out, c.name());
    }
  }

  /** A string as {@link In#utf8} reads it: its UTF-8 length, then the bytes. */
  private static void utf8(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  /**
   * The catalog in {@code image}, or {@code null} when the image was written by another format, or from other JSON
   * than the jar holds now, or cannot be read.
   */
  static PricingCatalog read(byte[] image) {
    try {
      In in = new In(image);
      if (in.i32() != FORMAT) {
        return null;
      }
      List<String> files = new ArrayList<>();
      for (int i = in.i32(); i > 0; i--) {
        files.add(in.utf8());
      }
      byte[] recorded = in.bytes(in.i32());
      if (!java.util.Arrays.equals(recorded, digest(files))) {
        return null;
      }
      int schemaVersion = in.i32();
      String version = in.utf8();
      in.components = in.constants(CostComponent.class, new CostComponent[in.i32()]);
      in.tiers = in.constants(ServiceTier.class, new ServiceTier[in.i32()]);
      in.operators = in.constants(ContextTier.Operator.class, new ContextTier.Operator[in.i32()]);
      String[] table = new String[in.i32()];
      for (int i = 0; i < table.length; i++) {
        table[i] = in.utf8();
      }
      in.table = table;
      int n = in.i32();
      List<ModelEntry> models = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        models.add(readModel(in));
      }
      if (in.pos != image.length) {
        return null; // trailing bytes: not an image this code wrote
      }
      return new PricingCatalog(
          schemaVersion,
          version,
          "bundled catalog " + version,
          models,
          Collections.<Discount>emptyList(),
          Collections.<Deployment>emptyList());
    } catch (RuntimeException e) {
      return null; // unreadable (truncated, another layout): the caller parses the JSON
    }
  }

  private static void writeModel(Out out, ModelEntry m) throws IOException {
    out.string(m.provider());
    out.string(m.id());
    out.strings(m.aliases());
    out.strings(m.patterns());
    out.string(m.mode());
    out.string(m.note());
    out.data.writeInt(m.prices().size());
    for (PriceSet p : m.prices()) {
      writePriceSet(out, p);
    }
    out.string(m.origin);
    out.string(m.path);
    out.data.writeBoolean(m.aliasesDeclared);
    out.data.writeBoolean(m.patternsDeclared);
    out.data.writeBoolean(m.modeDeclared);
    out.data.writeBoolean(m.noteDeclared);
  }

  private static ModelEntry readModel(In in) {
    String provider = in.string();
    String id = in.string();
    List<String> aliases = in.strings();
    List<Pattern> patterns = new ArrayList<>();
    for (String p : in.strings()) {
      patterns.add(Pattern.compile(p)); // as CatalogParser compiles them
    }
    String mode = in.string();
    String note = in.string();
    int n = in.i32();
    List<PriceSet> prices = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      prices.add(readPriceSet(in));
    }
    String origin = in.string();
    String path = in.string();
    boolean aliasesDeclared = in.bool();
    boolean patternsDeclared = in.bool();
    boolean modeDeclared = in.bool();
    boolean noteDeclared = in.bool();
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

  private static void writePriceSet(Out out, PriceSet p) throws IOException {
    out.date(p.effectiveFrom());
    out.date(p.effectiveTo());
    out.string(p.source());
    out.date(p.verifiedOn());
    out.string(p.verifiedAgainst());
    out.string(p.note());
    out.string(p.currency());
    writeCard(out, p.rates());
    out.data.writeInt(p.billedAsText().size());
    for (CostComponent c : p.billedAsText()) {
      out.data.writeByte(c.ordinal());
    }
    out.data.writeInt(p.regional().size());
    for (RegionalPricing r : p.regional()) {
      out.strings(r.regions());
      out.decimal(r.multiplier());
      writeCard(out, r.rates());
    }
    writeCard(out, p.fineTune());
  }

  private static PriceSet readPriceSet(In in) {
    LocalDate from = in.date();
    LocalDate to = in.date();
    String source = in.string();
    LocalDate verifiedOn = in.date();
    String verifiedAgainst = in.string();
    String note = in.string();
    String currency = in.string();
    RateCard rates = readCard(in);
    Set<CostComponent> billedAsText = EnumSet.noneOf(CostComponent.class);
    for (int i = in.i32(); i > 0; i--) {
      billedAsText.add(in.components[in.u8()]);
    }
    int n = in.i32();
    List<RegionalPricing> regional = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<String> regions = in.strings();
      BigDecimal multiplier = in.decimal();
      regional.add(new RegionalPricing(regions, multiplier, readCard(in)));
    }
    RateCard fineTune = readCard(in);
    return new PriceSet(from, to, source, verifiedOn, verifiedAgainst, note, currency, rates, billedAsText, regional, fineTune);
  }

  private static void writeCard(Out out, RateCard card) throws IOException {
    out.data.writeBoolean(card != null);
    if (card == null) {
      return;
    }
    out.data.writeInt(card.serviceTiers().size());
    for (ServiceTier tier : card.serviceTiers()) {
      out.data.writeByte(tier.ordinal());
      Map<CostComponent, BigDecimal> prices = card.rates(tier).asMap();
      out.data.writeInt(prices.size());
      for (Map.Entry<CostComponent, BigDecimal> e : prices.entrySet()) {
        out.data.writeByte(e.getKey().ordinal());
        out.decimal(e.getValue());
      }
    }
    out.data.writeInt(card.contextTiers().size());
    for (ContextTier t : card.contextTiers()) {
      out.string(t.name());
      out.data.writeByte(t.operator().ordinal());
      out.data.writeLong(t.threshold());
      writeCard(out, t.rates());
    }
  }

  private static RateCard readCard(In in) {
    if (!in.bool()) {
      return null;
    }
    Map<ServiceTier, Rates> tiers = new EnumMap<>(ServiceTier.class);
    for (int i = in.i32(); i > 0; i--) {
      ServiceTier tier = in.tiers[in.u8()];
      Map<CostComponent, BigDecimal> prices = new EnumMap<>(CostComponent.class);
      for (int j = in.i32(); j > 0; j--) {
        CostComponent c = in.components[in.u8()];
        prices.put(c, in.decimal());
      }
      tiers.put(tier, new Rates(prices));
    }
    int n = in.i32();
    List<ContextTier> contextTiers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String name = in.string();
      ContextTier.Operator operator = in.operators[in.u8()];
      long threshold = in.i64();
      contextTiers.add(new ContextTier(name, operator, threshold, readCard(in)));
    }
    return new RateCard(tiers, contextTiers);
  }

  /** The body as it is written: every string once, in a table the image holds before the body. */
  private static final class Out {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    final DataOutputStream data = new DataOutputStream(bytes);
    final Map<String, Integer> strings = new LinkedHashMap<>();

    /** The string's index in the table, {@code -1} for {@code null}. */
    void string(String s) throws IOException {
      data.writeInt(s == null ? -1 : strings.computeIfAbsent(s, k -> strings.size()));
    }

    void strings(List<String> values) throws IOException {
      data.writeInt(values.size());
      for (String v : values) {
        string(v);
      }
    }

    /** Exact: the unscaled value and the scale, so that {@code equals} (scale included) holds after reading. */
    void decimal(BigDecimal d) throws IOException {
      data.writeBoolean(d != null);
      if (d != null) {
        byte[] unscaled = d.unscaledValue().toByteArray();
        data.writeInt(d.scale());
        data.writeShort(unscaled.length);
        data.write(unscaled);
      }
    }

    void date(LocalDate d) throws IOException {
      data.writeBoolean(d != null);
      if (d != null) {
        data.writeLong(d.toEpochDay());
      }
    }
  }

  /**
   * Reads the image from its byte array: big-endian numbers as {@link DataOutputStream} wrote them, strings from the
   * table. A truncated or foreign image fails with an index exception, which {@link #read} turns into "not usable".
   */
  private static final class In {
    final byte[] b;
    int pos;
    String[] table;
    CostComponent[] components;
    ServiceTier[] tiers;
    ContextTier.Operator[] operators;

    In(byte[] b) {
      this.b = b;
    }

    int u8() {
      return b[pos++] & 0xff;
    }

    boolean bool() {
      return b[pos++] != 0;
    }

    int i32() {
      int v = (b[pos] & 0xff) << 24 | (b[pos + 1] & 0xff) << 16 | (b[pos + 2] & 0xff) << 8 | (b[pos + 3] & 0xff);
      pos += 4;
      return v;
    }

    long i64() {
      long high = i32();
      return high << 32 | (i32() & 0xffffffffL);
    }

    byte[] bytes(int n) {
      if (n < 0 || pos + n > b.length) {
        throw new IndexOutOfBoundsException("image truncated");
      }
      byte[] r = java.util.Arrays.copyOfRange(b, pos, pos + n);
      pos += n;
      return r;
    }

    /** A string as {@link #utf8(DataOutputStream, String)} wrote it. */
    String utf8() {
      int length = i32();
      String s = new String(b, pos, length, StandardCharsets.UTF_8);
      pos += length;
      return s;
    }

    String string() {
      int i = i32();
      return i < 0 ? null : table[i];
    }

    List<String> strings() {
      int n = i32();
      List<String> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(string());
      }
      return out;
    }

    BigDecimal decimal() {
      if (!bool()) {
        return null;
      }
      int scale = i32();
      int length = (short) ((u8() << 8) | u8());
      return new BigDecimal(new BigInteger(bytes(length)), scale);
    }

    LocalDate date() {
      return bool() ? LocalDate.ofEpochDay(i64()) : null;
    }

    /** The current constants for the names the image lists, in the image's ordinal order. */
    <E extends Enum<E>> E[] constants(Class<E> type, E[] out) {
      for (int i = 0; i < out.length; i++) {
        out[i] = Enum.valueOf(type, utf8());
      }
      return out;
    }
  }
}
