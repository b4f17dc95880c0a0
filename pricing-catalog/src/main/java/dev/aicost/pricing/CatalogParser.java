package dev.aicost.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Turns the JSON tree of one catalog file into model entries, collecting every error with its path. */
final class CatalogParser {

  static final int SCHEMA_VERSION = 1;

  /** Upper bound of a price: USD 1,000,000 per 1M tokens (one dollar a token) catches unit mistakes. */
  static final BigDecimal MAX_PRICE = new BigDecimal("1000000");

  static final Set<String> MODES =
      Collections.unmodifiableSet(
          new LinkedHashSet<>(
              Arrays.asList(
                  "chat",
                  "responses",
                  "completion",
                  "embeddings",
                  "realtime",
                  "audio_transcription",
                  "audio_speech",
                  "image_generation",
                  "moderation",
                  "rerank")));

  private static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
  private static final Set<CostComponent> BILLABLE_AS_TEXT =
      Collections.unmodifiableSet(
          EnumSet.of(CostComponent.AUDIO_INPUT, CostComponent.AUDIO_OUTPUT, CostComponent.IMAGE_INPUT));
  private static final String SCALE_HINT_TOKENS =
      " (prices are per 1M tokens: a per-token price must be multiplied by 1,000,000)";
  private static final String SCALE_HINT_CALLS = " (web_search is priced per 1K calls)";

  private final String origin;
  private final Errors errors;

  private CatalogParser(String origin, Errors errors) {
    this.origin = origin;
    this.errors = errors;
  }

  /** Parses and validates one catalog document; throws {@link CatalogValidationException} listing every error. */
  static PricingCatalog parse(JsonNode root, String origin) {
    Errors errors = new Errors(origin);
    PricingCatalog catalog = new CatalogParser(origin, errors).catalog(root);
    errors.throwIfAny();
    return catalog;
  }

  private PricingCatalog catalog(JsonNode root) {
    JsonFields top = JsonFields.of(root, "", errors);
    if (top == null) {
      return null;
    }
    Long schema = top.integer("schema_version", true, 1);
    if (schema != null && schema != SCHEMA_VERSION) {
      errors.add(
          "schema_version",
          "unsupported schema_version " + schema + ": this version of aicost reads schema_version " + SCHEMA_VERSION);
    }
    String version = top.string("catalog_version", true);
    top.string("note", false);
    List<ModelEntry> entries = new ArrayList<>();
    List<JsonNode> models = top.array("models", true);
    if (models != null) {
      for (int i = 0; i < models.size(); i++) {
        ModelEntry e = model(models.get(i), "models[" + i + ']');
        if (e != null) {
          entries.add(e);
        }
      }
    }
    List<Discount> discounts = new ArrayList<>();
    List<JsonNode> ds = top.array("discounts", false);
    if (ds != null) {
      for (int i = 0; i < ds.size(); i++) {
        Discount d = discount(ds.get(i), "discounts[" + i + ']');
        if (d != null) {
          discounts.add(d);
        }
      }
      checkDuplicateDiscounts(discounts, errors);
    }
    List<Deployment> deployments = new ArrayList<>();
    List<JsonNode> deps = top.array("deployments", false);
    if (deps != null) {
      Map<String, Deployment> seen = new HashMap<>();
      for (int i = 0; i < deps.size(); i++) {
        Deployment d = deployment(deps.get(i), "deployments[" + i + ']');
        if (d != null) {
          Deployment prev = seen.put(d.key(), d);
          if (prev != null) {
            errors.add(d.path + ".name", "duplicate of " + prev.path + " (" + d.provider() + '/' + d.name() + ')');
          }
          deployments.add(d);
        }
      }
    }
    top.finish();
    CatalogChecks.checkEntries(entries, errors);
    return new PricingCatalog(SCHEMA_VERSION, version, origin, entries, discounts, deployments);
  }

  private ModelEntry model(JsonNode node, String path) {
    JsonFields f = JsonFields.of(node, path, errors);
    if (f == null) {
      return null;
    }
    String provider = provider(f, "provider");
    String id = modelName(f.string("id", true), f.path("id"));
    boolean aliasesDeclared = f.has("aliases");
    List<String> aliases = new ArrayList<>();
    List<String> rawAliases = f.strings("aliases");
    if (rawAliases != null) {
      for (int i = 0; i < rawAliases.size(); i++) {
        String a = modelName(rawAliases.get(i), f.path("aliases") + '[' + i + ']');
        if (a != null) {
          aliases.add(a);
        }
      }
    }
    boolean patternsDeclared = f.has("patterns");
    List<Pattern> patterns = new ArrayList<>();
    List<String> rawPatterns = f.strings("patterns");
    if (rawPatterns != null) {
      for (int i = 0; i < rawPatterns.size(); i++) {
        Pattern p = regex(rawPatterns.get(i), f.path("patterns") + '[' + i + ']');
        if (p != null) {
          patterns.add(p);
        }
      }
    }
    boolean modeDeclared = f.has("mode");
    String mode = f.string("mode", false);
    if (mode != null && !MODES.contains(mode)) {
      errors.add(f.path("mode"), "must be one of " + String.join(", ", MODES) + ", was '" + mode + "'");
    }
    boolean noteDeclared = f.has("note");
    String note = f.string("note", false);
    List<PriceSet> prices = new ArrayList<>();
    List<JsonNode> rawPrices = f.array("prices", true);
    if (rawPrices != null) {
      if (rawPrices.isEmpty()) {
        errors.add(f.path("prices"), "must hold at least one price set");
      }
      List<Integer> indexes = new ArrayList<>();
      for (int i = 0; i < rawPrices.size(); i++) {
        PriceSet p = priceSet(rawPrices.get(i), f.path("prices") + '[' + i + ']');
        if (p != null) {
          prices.add(p);
          indexes.add(i);
        }
      }
      prices = sortAndCheckOverlaps(prices, indexes, f.path("prices"));
    }
    f.finish();
    // An entry with errors is still returned when it can be named, so that the cross-entry checks (duplicate ids,
    // alias clashes) report on it too; the catalog is rejected anyway.
    if (provider == null || id == null) {
      return null;
    }
    return new ModelEntry(
        provider,
        id,
        aliases,
        patterns,
        mode == null ? "chat" : mode,
        note,
        prices,
        origin,
        path,
        aliasesDeclared,
        patternsDeclared,
        modeDeclared,
        noteDeclared);
  }

  private String provider(JsonFields f, String field) {
    String provider = f.string(field, true);
    if (provider != null && !PROVIDER.matcher(provider).matches()) {
      errors.add(
          f.path(field),
          "must be a lower-case provider name such as openai, azure.ai.openai, aws.bedrock, was '" + provider + "'");
      return null;
    }
    return provider;
  }

  private String modelName(String name, String path) {
    if (name == null) {
      return null;
    }
    if (!name.equals(name.trim()) || name.chars().anyMatch(Character::isWhitespace)) {
      errors.add(path, "must not contain whitespace, was '" + name + "'");
      return null;
    }
    if (!name.equals(name.toLowerCase(Locale.ROOT))) {
      errors.add(path, "must be lower case (model names are matched case-insensitively), was '" + name + "'");
      return null;
    }
    return name;
  }

  private Pattern regex(String s, String path) {
    try {
      return Pattern.compile(s);
    } catch (PatternSyntaxException e) {
      errors.add(path, "invalid regular expression: " + e.getDescription() + " near index " + e.getIndex());
      return null;
    }
  }

  private PriceSet priceSet(JsonNode node, String path) {
    JsonFields f = JsonFields.of(node, path, errors);
    if (f == null) {
      return null;
    }
    int before = errors.size();
    LocalDate from = f.date("effective_from", true);
    LocalDate to = f.date("effective_to", false);
    if (from != null && to != null && !to.isAfter(from)) {
      errors.add(f.path("effective_to"), "must be after effective_from (" + from + "), was " + to);
    }
    String source = f.string("source", true);
    LocalDate verifiedOn = null;
    String verifiedAgainst = null;
    JsonNode verified = f.raw("verified");
    if (verified != null) {
      JsonFields v = JsonFields.of(verified, f.path("verified"), errors);
      if (v != null) {
        verifiedOn = v.date("date", true);
        verifiedAgainst = v.string("against", true);
        v.finish();
      }
    }
    String note = f.string("note", false);
    String currency = f.string("currency", false);
    if (currency != null && !CURRENCY.matcher(currency).matches()) {
      errors.add(f.path("currency"), "must be an ISO 4217 code such as USD, was '" + currency + "'");
    }
    Set<CostComponent> billedAsText = billedAsText(f);
    RateCard card = rateCard(f, true);
    if (card != null && card.standard() != null) {
      for (CostComponent c : billedAsText) {
        if (card.standard().has(c)) {
          errors.add(
              f.path("billed_as_text"),
              c.id() + " has its own price in this price set; remove it from billed_as_text or drop the price");
        }
      }
    }
    List<RegionalPricing> regional = regional(f);
    RateCard fineTune = null;
    JsonNode ft = f.raw("fine_tune");
    if (ft != null) {
      JsonFields fe = JsonFields.of(ft, f.path("fine_tune"), errors);
      if (fe != null) {
        fineTune = rateCard(fe, false);
        fe.finish();
      }
    }
    f.finish();
    if (errors.size() != before) {
      return null;
    }
    return new PriceSet(
        from,
        to,
        source,
        verifiedOn,
        verifiedAgainst,
        note,
        currency == null ? "USD" : currency,
        card,
        billedAsText,
        regional,
        fineTune);
  }

  private Set<CostComponent> billedAsText(JsonFields f) {
    Set<CostComponent> out = EnumSet.noneOf(CostComponent.class);
    List<String> raw = f.strings("billed_as_text");
    if (raw == null) {
      return out;
    }
    for (int i = 0; i < raw.size(); i++) {
      String at = f.path("billed_as_text") + '[' + i + ']';
      CostComponent c = component(raw.get(i));
      if (c == null || !BILLABLE_AS_TEXT.contains(c)) {
        errors.add(at, "must be one of audio_input, audio_output, image_input, was '" + raw.get(i) + "'");
      } else if (!out.add(c)) {
        errors.add(at, "duplicate '" + raw.get(i) + "'");
      }
    }
    return out;
  }

  /** Reads the rate fields, {@code service_tiers} and (when allowed) {@code context_tiers} of one object. */
  private RateCard rateCard(JsonFields f, boolean allowContextTiers) {
    Map<ServiceTier, Rates> tiers = new EnumMap<>(ServiceTier.class);
    Rates standard = rates(f);
    if (standard != null) {
      tiers.put(ServiceTier.STANDARD, standard);
    }
    JsonNode st = f.raw("service_tiers");
    if (st != null) {
      String stPath = f.path("service_tiers");
      if (!st.isObject()) {
        errors.add(stPath, "must be an object keyed by batch, flex or priority, was " + JsonFields.describe(st));
      } else {
        for (Map.Entry<String, JsonNode> e : st.properties()) {
          String at = stPath + '.' + e.getKey();
          ServiceTier tier = tierKey(e.getKey());
          if (tier == ServiceTier.STANDARD) {
            errors.add(at, "standard rates are the fields of the enclosing object, not a service tier");
            continue;
          }
          if (tier == null) {
            errors.add(at, "unknown service tier; allowed: batch, flex, priority");
            continue;
          }
          JsonFields tf = JsonFields.of(e.getValue(), at, errors);
          if (tf == null) {
            continue;
          }
          Rates r = rates(tf);
          tf.finish();
          if (r != null) {
            tiers.put(tier, r);
          }
        }
      }
    }
    List<ContextTier> contextTiers = new ArrayList<>();
    if (allowContextTiers) {
      List<JsonNode> cts = f.array("context_tiers", false);
      if (cts != null) {
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> thresholds = new HashMap<>();
        for (int i = 0; i < cts.size(); i++) {
          String at = f.path("context_tiers") + '[' + i + ']';
          ContextTier ct = contextTier(cts.get(i), at);
          if (ct == null) {
            continue;
          }
          Integer prev = names.put(ct.name(), i);
          if (prev != null) {
            errors.add(at + ".name", "duplicate of context_tiers[" + prev + "] ('" + ct.name() + "')");
          }
          String key = ct.operator().symbol() + ct.threshold();
          prev = thresholds.put(key, i);
          if (prev != null) {
            errors.add(at + ".threshold", "same threshold as context_tiers[" + prev + "] (" + key + ")");
          }
          contextTiers.add(ct);
        }
      }
    }
    if (standard == null) {
      return null;
    }
    return new RateCard(tiers, contextTiers);
  }

  private ContextTier contextTier(JsonNode node, String path) {
    JsonFields c = JsonFields.of(node, path, errors);
    if (c == null) {
      return null;
    }
    int before = errors.size();
    String name = c.string("name", true);
    if (name != null && name.chars().anyMatch(Character::isWhitespace)) {
      errors.add(c.path("name"), "must not contain whitespace (it becomes part of the tier label), was '" + name + "'");
    }
    String op = c.string("operator", true);
    ContextTier.Operator operator = op == null ? null : ContextTier.Operator.parse(op);
    if (op != null && operator == null) {
      errors.add(c.path("operator"), "must be \">\" or \">=\", as the provider words the threshold; was '" + op + "'");
    }
    Long threshold = c.integer("threshold", true, 1);
    RateCard card = rateCard(c, false);
    c.finish();
    if (errors.size() != before || card == null) {
      return null;
    }
    return new ContextTier(name, operator, threshold, card);
  }

  private Rates rates(JsonFields f) {
    Map<CostComponent, BigDecimal> prices = new EnumMap<>(CostComponent.class);
    for (CostComponent c : CostComponent.values()) {
      BigDecimal p =
          f.decimal(
              c.id(),
              c == CostComponent.INPUT,
              BigDecimal.ZERO,
              false,
              MAX_PRICE,
              6,
              c == CostComponent.WEB_SEARCH ? SCALE_HINT_CALLS : SCALE_HINT_TOKENS);
      if (p != null) {
        prices.put(c, p);
      }
    }
    return prices.containsKey(CostComponent.INPUT) ? new Rates(prices) : null;
  }

  private List<RegionalPricing> regional(JsonFields f) {
    List<RegionalPricing> out = new ArrayList<>();
    List<JsonNode> arr = f.array("regional", false);
    if (arr == null) {
      return out;
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < arr.size(); i++) {
      String at = f.path("regional") + '[' + i + ']';
      JsonFields r = JsonFields.of(arr.get(i), at, errors);
      if (r == null) {
        continue;
      }
      int before = errors.size();
      List<String> regions = r.strings("regions");
      if (regions == null) {
        errors.add(r.path("regions"), "required (an array of region names)");
      } else if (regions.isEmpty()) {
        errors.add(r.path("regions"), "must name at least one region");
      } else {
        for (int j = 0; j < regions.size(); j++) {
          String region = regions.get(j);
          if (region.isEmpty() || region.chars().anyMatch(Character::isWhitespace)) {
            errors.add(r.path("regions") + '[' + j + ']', "must be a region name without whitespace, was '" + region + "'");
          } else if (region.indexOf('*') >= 0 && (region.indexOf('*') != region.length() - 1 || region.length() < 2)) {
            errors.add(r.path("regions") + '[' + j + ']',
                "'*' is allowed only at the end of a region prefix (e.g. 'eu-*'), was '" + region + "'");
          }
          Integer prev = seen.put(region, i);
          if (prev != null) {
            errors.add(r.path("regions") + '[' + j + ']', "'" + regions.get(j) + "' is already in regional[" + prev + ']');
          }
        }
      }
      BigDecimal multiplier = null;
      RateCard card = null;
      if (r.has("multiplier")) {
        multiplier = r.decimal("multiplier", true, BigDecimal.ZERO, true, new BigDecimal("100"), 6, "");
        for (CostComponent c : CostComponent.values()) {
          if (r.has(c.id())) {
            errors.add(r.path(c.id()), "not allowed together with multiplier: give a multiplier or absolute rates");
          }
        }
        if (r.has("service_tiers") || r.has("context_tiers")) {
          errors.add(r.path("multiplier"), "a multiplier applies to every tier; service_tiers/context_tiers not allowed");
        }
      } else {
        card = rateCard(r, true);
      }
      r.finish();
      if (errors.size() == before && regions != null) {
        out.add(new RegionalPricing(regions, multiplier, card));
      }
    }
    return out;
  }

  private Discount discount(JsonNode node, String path) {
    JsonFields d = JsonFields.of(node, path, errors);
    if (d == null) {
      return null;
    }
    int before = errors.size();
    String provider = provider(d, "provider");
    String model = d.string("model", false);
    if (model != null) {
      model = model.trim().toLowerCase(Locale.ROOT);
    }
    String rawPattern = d.string("pattern", false);
    Pattern pattern = rawPattern == null ? null : regex(rawPattern, d.path("pattern"));
    if (model != null && rawPattern != null) {
      errors.add(d.path("pattern"), "give either model or pattern, not both");
    }
    BigDecimal percent = d.decimal("percent", true, BigDecimal.ZERO, false, new BigDecimal("100"), 4, "");
    String note = d.string("note", false);
    d.finish();
    if (errors.size() != before) {
      return null;
    }
    return new Discount(provider, model, pattern, percent, note, path);
  }

  private Deployment deployment(JsonNode node, String path) {
    JsonFields d = JsonFields.of(node, path, errors);
    if (d == null) {
      return null;
    }
    int before = errors.size();
    String provider = provider(d, "provider");
    String name = d.string("name", true);
    if (name != null && (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace))) {
      errors.add(d.path("name"), "must be a deployment name without whitespace, was '" + name + "'");
    }
    String model = d.string("model", false);
    if (model != null) {
      model = model.trim().toLowerCase(Locale.ROOT);
    }
    boolean isDefault = Deployment.DEFAULT_NAME.equals(name);
    if (model == null && name != null && !isDefault) {
      errors.add(d.path("model"), "required: the model this deployment serves (e.g. gpt-4o-2024-11-20)");
    }
    if (model != null && isDefault) {
      errors.add(d.path("model"), "the default deployment '*' has no model: it sets region and billing only");
    }
    String region = d.string("region", false);
    if (region != null && (region.isEmpty() || region.chars().anyMatch(Character::isWhitespace)
        || region.indexOf('*') >= 0)) {
      errors.add(d.path("region"), "must be a region name without whitespace or '*', was '" + region + "'");
    }
    String rawBilling = d.string("billing", false);
    Deployment.Billing billing = Deployment.Billing.PER_TOKEN;
    if (rawBilling != null) {
      billing = Deployment.Billing.parse(rawBilling);
      if (billing == null) {
        errors.add(d.path("billing"), "must be per_token or provisioned, was '" + rawBilling + "'");
      }
    }
    if (isDefault && region == null && billing == Deployment.Billing.PER_TOKEN) {
      errors.add(d.path("region"), "the default deployment '*' must set a region or billing: provisioned");
    }
    String note = d.string("note", false);
    d.finish();
    if (errors.size() != before) {
      return null;
    }
    return new Deployment(provider, name, model, region, billing, note, origin, path);
  }

  static void checkDuplicateDiscounts(List<Discount> discounts, Errors errors) {
    Map<String, Discount> seen = new HashMap<>();
    for (Discount d : discounts) {
      Discount prev = seen.put(d.selector(), d);
      if (prev != null) {
        errors.add(d.path, "duplicate of " + prev.path + " (" + d.selector() + ')');
      }
    }
  }

  private List<PriceSet> sortAndCheckOverlaps(List<PriceSet> prices, List<Integer> indexes, String path) {
    Integer[] order = new Integer[prices.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> prices.get(a).effectiveFrom().compareTo(prices.get(b).effectiveFrom()));
    List<PriceSet> sorted = new ArrayList<>(prices.size());
    Set<Integer> reported = new HashSet<>();
    for (int k = 0; k < order.length; k++) {
      PriceSet cur = prices.get(order[k]);
      for (int j = 0; j < k; j++) {
        PriceSet prev = prices.get(order[j]);
        if (prev.effectiveTo() == null || prev.effectiveTo().isAfter(cur.effectiveFrom())) {
          int curIndex = indexes.get(order[k]);
          if (reported.add(curIndex)) {
            errors.add(
                path + '[' + curIndex + ']',
                "effective range " + range(cur) + " overlaps prices[" + indexes.get(order[j]) + "] " + range(prev)
                    + "; end the earlier one with effective_to");
          }
        }
      }
      sorted.add(cur);
    }
    return sorted;
  }

  private static String range(PriceSet p) {
    return "[" + p.effectiveFrom() + ", " + (p.effectiveTo() == null ? "open" : p.effectiveTo().toString()) + ')';
  }

  static CostComponent component(String id) {
    for (CostComponent c : CostComponent.values()) {
      if (c.id().equals(id)) {
        return c;
      }
    }
    return null;
  }

  private static ServiceTier tierKey(String key) {
    for (ServiceTier t : ServiceTier.values()) {
      if (t.id().equals(key)) {
        return t;
      }
    }
    return null;
  }
}
