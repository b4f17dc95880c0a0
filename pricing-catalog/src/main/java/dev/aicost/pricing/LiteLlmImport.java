package dev.aicost.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Imports a LiteLLM-format price map ({@code model_prices_and_context_window.json}: model name to USD-per-token
 * fields) as a catalog, so that the community-priced models aicost does not bundle can be priced. LiteLLM provider
 * names become {@code gen_ai.provider.name} values ({@code azure} → {@code azure.ai.openai}, {@code bedrock} →
 * {@code aws.bedrock}, {@code vertex_ai-*} → {@code gcp.vertex_ai}, ...); per-token prices become per-1M prices
 * (rounded half-even to 6 decimals, i.e. 10<sup>-12</sup> per token); {@code *_above_Nk_tokens} fields become
 * context tiers, {@code *_batches}/{@code *_flex}/{@code *_priority} service tiers, and the medium search-context
 * price the web search price. Entries that are not priced per token (images, video, per-second audio), region
 * variants ({@code bedrock/us-east-1/...}, {@code azure/eu/...}) and entries that fail validation are skipped and
 * counted. LiteLLM carries no dates: an imported price applies to every date.
 *
 * <p>{@link #layerUnder} puts the import under a catalog: the catalog's entries win for every name it can price,
 * unless the user prefers the import.
 */
public final class LiteLlmImport {

  private static final ObjectMapper LENIENT =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final BigDecimal MILLION = new BigDecimal(1_000_000);
  private static final BigDecimal THOUSAND = new BigDecimal(1000);
  private static final Pattern ABOVE = Pattern.compile("(.+)_above_(\\d+)k_tokens(?:_(batches|flex|priority))?");
  private static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
  private static final Pattern REGION_SEGMENT =
      Pattern.compile("(?:[a-z]{2}(?:-gov)?-[a-z]+-\\d|us|eu|global|global-standard|invoke|\\*)");

  /** LiteLLM's provider name to aicost's (OpenTelemetry {@code gen_ai.provider.name}). */
  private static final Map<String, String> PROVIDERS;

  static {
    Map<String, String> m = new HashMap<>();
    m.put("openai", "openai");
    m.put("text-completion-openai", "openai");
    m.put("azure", "azure.ai.openai");
    m.put("azure_text", "azure.ai.openai");
    m.put("azure_ai", "azure.ai.inference");
    m.put("anthropic", "anthropic");
    m.put("gemini", "gcp.gemini");
    m.put("vertex_ai", "gcp.vertex_ai");
    m.put("bedrock", "aws.bedrock");
    m.put("bedrock_converse", "aws.bedrock");
    m.put("mistral", "mistral_ai");
    m.put("deepseek", "deepseek");
    m.put("xai", "x_ai");
    m.put("groq", "groq");
    m.put("together_ai", "together_ai");
    m.put("fireworks_ai", "fireworks_ai");
    m.put("fireworks_ai-embedding-models", "fireworks_ai");
    m.put("cohere", "cohere");
    m.put("cohere_chat", "cohere");
    m.put("perplexity", "perplexity");
    m.put("watsonx", "ibm.watsonx.ai");
    PROVIDERS = Collections.unmodifiableMap(m);
  }

  /** The outcome of an import: the catalog of converted models and what was left out, with counts by reason. */
  public static final class Result {
    private final PricingCatalog catalog;
    private final Map<String, Integer> skipped;
    private final List<String> examples;

    Result(PricingCatalog catalog, Map<String, Integer> skipped, List<String> examples) {
      this.catalog = catalog;
      this.skipped = Collections.unmodifiableMap(skipped);
      this.examples = Collections.unmodifiableList(examples);
    }

    /** The imported models (no discounts, no deployments). */
    public PricingCatalog catalog() {
      return catalog;
    }

    /** Entries left out, by reason. */
    public Map<String, Integer> skipped() {
      return skipped;
    }

    public int skippedCount() {
      int n = 0;
      for (int c : skipped.values()) {
        n += c;
      }
      return n;
    }

    /** A few skipped entries with the reason, for debugging. */
    public List<String> examples() {
      return examples;
    }

    /** One line: {@code imported 2,345 models from FILE (612 skipped: 401 not priced per token, ...)}. */
    public String summary() {
      StringBuilder sb = new StringBuilder();
      sb.append("imported ").append(String.format(Locale.ROOT, "%,d", catalog.models().size()))
          .append(" models from ").append(catalog.origin());
      if (!skipped.isEmpty()) {
        sb.append(" (").append(String.format(Locale.ROOT, "%,d", skippedCount())).append(" skipped: ");
        boolean first = true;
        for (Map.Entry<String, Integer> e : skipped.entrySet()) {
          sb.append(first ? "" : ", ").append(String.format(Locale.ROOT, "%,d", e.getValue())).append(' ')
              .append(e.getKey());
          first = false;
        }
        sb.append(')');
      }
      return sb.toString();
    }
  }

  private final String origin;
  private final Map<String, Integer> skipped = new LinkedHashMap<>();
  private final List<String> examples = new ArrayList<>();

  private LiteLlmImport(String origin) {
    this.origin = origin;
  }

  /**
   * Reads a LiteLLM price map file.
   *
   * @throws CatalogValidationException when the file is not a JSON object of model entries
   */
  public static Result read(Path file) throws IOException {
    return parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Converts a LiteLLM price map.
   *
   * @param origin names the document in messages and in the imported prices' {@code source}
   * @throws CatalogValidationException when the text is not a JSON object of model entries
   */
  public static Result parse(String json, String origin) {
    JsonNode root;
    try {
      root = LENIENT.readTree(json);
    } catch (JsonProcessingException e) {
      throw CatalogJson.syntaxError(e, origin);
    }
    if (root == null || !root.isObject()) {
      throw new CatalogValidationException(origin, Collections.singletonList(
          "not a LiteLLM price map: expected a JSON object of model name to prices, was "
              + (root == null ? "empty" : JsonFields.describe(root))));
    }
    return new LiteLlmImport(origin).convert(root, json);
  }

  /**
   * The import under {@code base}: imported models are added for the names {@code base} cannot resolve; with
   * {@code preferImport} they are layered over {@code base} instead, replacing its prices for the same ids.
   */
  public static PricingCatalog layerUnder(PricingCatalog base, Result imported, boolean preferImport) {
    PricingCatalog imp = imported.catalog();
    if (preferImport) {
      return base.layer(imp);
    }
    ModelIndex index = new ModelIndex(base.models());
    List<ModelEntry> kept = new ArrayList<>();
    for (ModelEntry e : imp.models()) {
      if (!index.resolve(e.provider(), e.id()).isResolved()) {
        kept.add(e);
      }
    }
    PricingCatalog filtered = new PricingCatalog(imp.schemaVersion(), imp.catalogVersion(), imp.origin(), kept,
        Collections.<Discount>emptyList(), Collections.<Deployment>emptyList());
    return base.layer(filtered);
  }

  private void skip(String reason, String key) {
    skipped.merge(reason, 1, Integer::sum);
    if (examples.size() < 20) {
      examples.add(key + ": " + reason);
    }
  }

  private Result convert(JsonNode root, String text) {
    String version = "litellm-" + shortHash(text);
    ArrayNode models = F.arrayNode();
    List<String> keys = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode v = e.getValue();
      if ("sample_spec".equals(key) || !v.isObject()) {
        continue;
      }
      ObjectNode m = model(key, v);
      if (m == null) {
        continue;
      }
      String k = m.get("provider").asText() + '\u0000' + m.get("id").asText();
      if (!seen.add(k)) {
        skip("duplicates of an earlier entry", key);
        continue;
      }
      models.add(m);
      keys.add(key);
    }
    PricingCatalog catalog = validated(version, models, keys);
    return new Result(catalog, skipped, examples);
  }

  /** Parses the converted document; entries the validator rejects are dropped (with their first error) and the rest
   * parsed again. */
  private PricingCatalog validated(String version, ArrayNode models, List<String> keys) {
    for (int attempt = 0; attempt < 3; attempt++) {
      ObjectNode doc = F.objectNode();
      doc.put("schema_version", CatalogParser.SCHEMA_VERSION);
      doc.put("catalog_version", version);
      doc.put("note", "Imported from the LiteLLM price map " + origin);
      doc.set("models", models);
      try {
        return CatalogParser.parse(doc, origin);
      } catch (CatalogValidationException e) {
        Set<Integer> bad = new TreeSet<>(Collections.reverseOrder());
        Pattern at = Pattern.compile("models\\[(\\d+)\\].*");
        Map<Integer, String> firstError = new HashMap<>();
        for (String err : e.errors()) {
          Matcher mm = at.matcher(err.startsWith(origin + ' ') ? err.substring(origin.length() + 1) : err);
          if (mm.matches()) {
            int i = Integer.parseInt(mm.group(1));
            bad.add(i);
            firstError.putIfAbsent(i, err);
          }
        }
        if (bad.isEmpty()) {
          throw e;
        }
        for (int i : bad) {
          skip("rejected by validation", keys.get(i) + " (" + firstError.get(i) + ')');
          models.remove(i);
          keys.remove(i);
        }
      }
    }
    throw new IllegalStateException("LiteLLM import of " + origin + " did not validate after dropping bad entries");
  }

  private ObjectNode model(String key, JsonNode v) {
    String litellmProvider = v.path("litellm_provider").asText("");
    String provider = provider(litellmProvider);
    if (provider == null) {
      skip("without a usable litellm_provider", key);
      return null;
    }
    String id = key.trim().toLowerCase(Locale.ROOT);
    String providerPrefix = litellmProvider.startsWith("vertex_ai") ? "vertex_ai/" : litellmProvider + '/';
    if (id.startsWith(providerPrefix)) {
      id = id.substring(providerPrefix.length());
    }
    int slash = id.indexOf('/');
    if (slash > 0 && (provider.equals("aws.bedrock") || provider.equals("azure.ai.openai"))
        && REGION_SEGMENT.matcher(id.substring(0, slash)).matches()) {
      skip("region or route variants (e.g. bedrock/us-east-1/..., azure/eu/...)", key);
      return null;
    }
    if (id.isEmpty() || id.chars().anyMatch(Character::isWhitespace)) {
      skip("with an unusable model name", key);
      return null;
    }
    BigDecimal input = perMillion(v.get("input_cost_per_token"));
    if (input == null) {
      skip("not priced per token (images, video, per-second or per-character prices)", key);
      return null;
    }
    ObjectNode set = F.objectNode();
    set.put("effective_from", "1970-01-01");
    set.put("source", "litellm:" + origin + '#' + key);
    set.put("note", "Imported from LiteLLM (no effective dates: applies to every date).");
    rates(set, v, "", true);
    ObjectNode tiers = F.objectNode();
    for (String t : new String[] {"batches", "flex", "priority"}) {
      ObjectNode r = F.objectNode();
      if (rates(r, v, "_" + t, false)) {
        tiers.set(t.equals("batches") ? "batch" : t, r);
      }
    }
    if (tiers.size() > 0) {
      set.set("service_tiers", tiers);
    }
    ArrayNode ctx = contextTiers(v);
    if (ctx.size() > 0) {
      set.set("context_tiers", ctx);
    }
    if (!set.has("image_input") && v.path("supports_vision").asBoolean(false)) {
      set.set("billed_as_text", F.arrayNode().add("image_input"));
    }
    ObjectNode m = F.objectNode();
    m.put("provider", provider);
    m.put("id", id);
    String mode = mode(v.path("mode").asText(""));
    if (mode != null) {
      m.put("mode", mode);
    }
    m.set("prices", F.arrayNode().add(set));
    return m;
  }

  /** Copies the rate fields with {@code suffix} (e.g. {@code _priority}); true when an input price was found. */
  private static boolean rates(ObjectNode out, JsonNode v, String suffix, boolean withSearch) {
    BigDecimal input = perMillion(v.get("input_cost_per_token" + suffix));
    if (input == null) {
      return false;
    }
    out.put("input", input);
    put(out, "output", perMillion(v.get("output_cost_per_token" + suffix)));
    put(out, "cache_read", perMillion(v.get("cache_read_input_token_cost" + suffix)));
    put(out, "cache_write_5m", perMillion(v.get("cache_creation_input_token_cost" + suffix)));
    put(out, "cache_write_1h", perMillion(v.get("cache_creation_input_token_cost_above_1hr" + suffix)));
    put(out, "reasoning", perMillion(v.get("output_cost_per_reasoning_token" + suffix)));
    put(out, "audio_input", perMillion(v.get("input_cost_per_audio_token" + suffix)));
    put(out, "audio_output", perMillion(v.get("output_cost_per_audio_token" + suffix)));
    put(out, "image_input", perMillion(v.get("input_cost_per_image_token" + suffix)));
    if (withSearch) {
      JsonNode s = v.path("search_context_cost_per_query").get("search_context_size_medium");
      if (s != null && s.isNumber()) {
        put(out, "web_search", exact6(s.decimalValue().multiply(THOUSAND)));
      }
    }
    return true;
  }

  private static ArrayNode contextTiers(JsonNode v) {
    Map<Integer, ObjectNode> byThreshold = new java.util.TreeMap<>();
    Iterator<String> names = v.fieldNames();
    while (names.hasNext()) {
      Matcher m = ABOVE.matcher(names.next());
      if (m.matches() && m.group(1).equals("input_cost_per_token")) {
        int k = Integer.parseInt(m.group(2));
        byThreshold.computeIfAbsent(k, x -> F.objectNode());
      }
    }
    ArrayNode out = F.arrayNode();
    for (Map.Entry<Integer, ObjectNode> e : byThreshold.entrySet()) {
      String sfx = "_above_" + e.getKey() + "k_tokens";
      ObjectNode tier = e.getValue();
      tier.put("name", ">" + e.getKey() + "k");
      tier.put("operator", ">");
      tier.put("threshold", e.getKey() * 1000L);
      BigDecimal in = perMillion(v.get("input_cost_per_token" + sfx));
      tier.put("input", in);
      put(tier, "output", perMillion(v.get("output_cost_per_token" + sfx)));
      put(tier, "cache_read", perMillion(v.get("cache_read_input_token_cost" + sfx)));
      put(tier, "cache_write_5m", perMillion(v.get("cache_creation_input_token_cost" + sfx)));
      put(tier, "cache_write_1h", perMillion(v.get("cache_creation_input_token_cost_above_1hr" + sfx)));
      put(tier, "audio_input", perMillion(v.get("input_cost_per_audio_token" + sfx)));
      ObjectNode tiers = F.objectNode();
      for (String t : new String[] {"batches", "flex", "priority"}) {
        BigDecimal ti = perMillion(v.get("input_cost_per_token" + sfx + "_" + t));
        if (ti != null) {
          ObjectNode r = F.objectNode();
          r.put("input", ti);
          put(r, "output", perMillion(v.get("output_cost_per_token" + sfx + "_" + t)));
          put(r, "cache_read", perMillion(v.get("cache_read_input_token_cost" + sfx + "_" + t)));
          tiers.set(t.equals("batches") ? "batch" : t, r);
        }
      }
      if (tiers.size() > 0) {
        tier.set("service_tiers", tiers);
      }
      out.add(tier);
    }
    return out;
  }

  private static void put(ObjectNode o, String field, BigDecimal value) {
    if (value != null) {
      o.put(field, value);
    }
  }

  /** A per-token USD price as a per-1M price, rounded half-even to 6 decimals; {@code null} if absent or invalid. */
  static BigDecimal perMillion(JsonNode n) {
    if (n == null || !n.isNumber()) {
      return null;
    }
    BigDecimal v = n.decimalValue();
    if (v.signum() < 0) {
      return null;
    }
    return exact6(v.multiply(MILLION));
  }

  private static BigDecimal exact6(BigDecimal v) {
    BigDecimal r = v.scale() > 6 ? v.setScale(6, RoundingMode.HALF_EVEN) : v;
    r = r.stripTrailingZeros();
    return r.scale() < 0 ? r.setScale(0) : r;
  }

  private static String provider(String litellm) {
    if (litellm.isEmpty()) {
      return null;
    }
    String p = PROVIDERS.get(litellm);
    if (p == null && litellm.startsWith("vertex_ai")) {
      p = "gcp.vertex_ai";
    }
    if (p == null) {
      p = litellm.toLowerCase(Locale.ROOT);
    }
    return PROVIDER.matcher(p).matches() ? p : null;
  }

  private static String mode(String litellm) {
    switch (litellm) {
      case "chat":
      case "completion":
      case "responses":
      case "realtime":
      case "moderation":
      case "rerank":
      case "audio_transcription":
      case "audio_speech":
      case "image_generation":
        return litellm;
      case "embedding":
        return "embeddings";
      default:
        return null;
    }
  }

  private static String shortHash(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 4; i++) {
        sb.append(String.format(Locale.ROOT, "%02x", d[i]));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      return "unknown";
    }
  }
}
