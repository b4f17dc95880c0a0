package dev.aicost.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks every bundled price against the LiteLLM price map (the 2026-07-24 mirror, vendored as two excerpts under
 * {@code src/test/resources/reference}: OpenAI, and the other bundled providers). A LiteLLM key is located in aicost
 * terms (provider, model name, and the region its price is for: {@code bedrock/us-gov-west-1/...} is GovCloud,
 * {@code eu.} an EU source region, {@code azure/us/} a Data Zone deployment, {@code vertex_ai/} the global endpoint),
 * resolved like a call, and each of its prices compared with the rate aicost would apply. Every disagreement must be
 * explained in {@code litellm-deviations.tsv} (and in the catalog's {@code note}); an explanation that no longer
 * matches a disagreement fails too, so the list stays true. It prints a summary and every unexplained disagreement;
 * with {@code -Daicost.crosscheck.verbose=true} it prints every disagreement with its explanation:
 * {@code mvn -pl pricing-catalog test -Dtest=LiteLlmCrossCheckTest -Daicost.crosscheck.verbose=true}.
 */
class LiteLlmCrossCheckTest {

  private static final LocalDate SNAPSHOT = LocalDate.of(2026, 7, 24);
  private static final Map<String, CostComponent> FIELDS = new LinkedHashMap<>();
  private static final Map<String, String> SERVICE_SUFFIXES = new LinkedHashMap<>();
  private static final Pattern CONTEXT_SUFFIX = Pattern.compile("(.+)_above_(\\d+)k_tokens");
  private static final Map<String, String> PROVIDERS = new LinkedHashMap<>();
  private static final Pattern REGION_SEGMENT = Pattern.compile("(us-gov-(?:east|west)-1|[a-z]{2}-[a-z]+-\\d)/(.+)");
  private static final Pattern GEO = Pattern.compile("(us|eu|apac|jp|au|ca|us-gov|global)\\..+");

  static {
    FIELDS.put("input_cost_per_token", CostComponent.INPUT);
    FIELDS.put("cache_read_input_token_cost", CostComponent.CACHE_READ);
    FIELDS.put("cache_creation_input_token_cost", CostComponent.CACHE_WRITE_5M);
    FIELDS.put("cache_creation_input_token_cost_above_1hr", CostComponent.CACHE_WRITE_1H);
    FIELDS.put("output_cost_per_token", CostComponent.OUTPUT);
    FIELDS.put("output_cost_per_reasoning_token", CostComponent.REASONING);
    FIELDS.put("input_cost_per_audio_token", CostComponent.AUDIO_INPUT);
    FIELDS.put("output_cost_per_audio_token", CostComponent.AUDIO_OUTPUT);
    SERVICE_SUFFIXES.put("_batches", "batch");
    SERVICE_SUFFIXES.put("_priority", "priority");
    SERVICE_SUFFIXES.put("_flex", "flex");
    PROVIDERS.put("openai", "openai");
    PROVIDERS.put("anthropic", "anthropic");
    PROVIDERS.put("gemini", "gcp.gemini");
    PROVIDERS.put("bedrock", "aws.bedrock");
    PROVIDERS.put("bedrock_converse", "aws.bedrock");
    PROVIDERS.put("azure", "azure.ai.openai");
    PROVIDERS.put("mistral", "mistral_ai");
    PROVIDERS.put("deepseek", "deepseek");
    PROVIDERS.put("xai", "x_ai");
    PROVIDERS.put("groq", "groq");
    PROVIDERS.put("together_ai", "together_ai");
    PROVIDERS.put("fireworks_ai", "fireworks_ai");
    PROVIDERS.put("fireworks_ai-embedding-models", "fireworks_ai");
  }

  /** A LiteLLM key in aicost terms. */
  record Located(String provider, String name, String region) {}

  static Located locate(String key, String litellmProvider) {
    String provider = litellmProvider.startsWith("vertex_ai") ? "gcp.vertex_ai" : PROVIDERS.get(litellmProvider);
    if (provider == null) {
      return null;
    }
    String k = key.toLowerCase(java.util.Locale.ROOT);
    String prefix = litellmProvider.startsWith("vertex_ai") ? "vertex_ai/"
        : litellmProvider.startsWith("fireworks_ai") ? "fireworks_ai/"
        : litellmProvider.startsWith("bedrock") ? "bedrock/" : litellmProvider + '/';
    if (k.startsWith(prefix)) {
      k = k.substring(prefix.length());
    }
    String region = null;
    switch (provider) {
      case "gcp.vertex_ai":
        region = "global"; // LiteLLM lists Vertex AI's global-endpoint prices
        break;
      case "aws.bedrock": {
        Matcher m = REGION_SEGMENT.matcher(k);
        if (m.matches()) {
          region = m.group(1);
          k = m.group(2);
        } else if (GEO.matcher(k).matches()) {
          String geo = k.substring(0, k.indexOf('.'));
          region = switch (geo) {
            case "eu" -> "eu-west-1";
            case "apac", "jp", "au" -> "ap-northeast-1";
            case "us-gov" -> "us-gov-west-1";
            default -> "us-east-1"; // global. profiles are priced in region global by resolution
          };
        } else {
          region = "us-east-1";
        }
        break;
      }
      case "azure.ai.openai":
        if (k.startsWith("us/") || k.startsWith("eu/")) {
          region = "data_zone";
          k = k.substring(3);
        } else if (k.startsWith("global/") || k.startsWith("global-standard/")) {
          k = k.substring(k.indexOf('/') + 1);
        }
        break;
      default:
        break;
    }
    return new Located(provider, k, region);
  }

  @Test
  void everyBundledPriceAgreesWithLiteLlmOrTheDisagreementIsExplained() throws IOException {
    CostCalculator calc = CostCalculator.bundled();
    Map<String, String> disagreements = new TreeMap<>();
    int compared = 0;
    int agreed = 0;
    java.util.Set<String> providersCompared = new java.util.TreeSet<>();
    List<String> notModelled = new ArrayList<>();
    for (String excerpt : List.of("reference/litellm-openai-2026-07-24.json", "reference/litellm-providers-2026-07-24.json")) {
      JsonNode ll = new ObjectMapper().readTree(resource(excerpt));
      for (Map.Entry<String, JsonNode> m : ll.properties()) {
        String key = m.getKey();
        if (key.startsWith("_")) {
          continue;
        }
        boolean fineTune = key.startsWith("ft:");
        Located where = locate(fineTune ? key.substring(3) : key, m.getValue().path("litellm_provider").asText());
        if (where == null) {
          continue;
        }
        ModelResolution r = calc.resolve(where.provider(), where.name());
        if (!r.isResolved() || r.steps().contains(ResolutionMethod.PATTERN)
            || r.method() == ResolutionMethod.DATED_SNAPSHOT) {
          continue; // not bundled under this name
        }
        PriceSet set = r.entry().priceSetOn(SNAPSHOT);
        if (set == null) {
          continue; // bundled from a later date (e.g. a moving alias priced from a date the references cover)
        }
        String region = r.impliedRegion() != null ? r.impliedRegion() : where.region();
        providersCompared.add(where.provider());
        for (Map.Entry<String, JsonNode> f : m.getValue().properties()) {
          if (!f.getValue().isNumber() || f.getValue().doubleValue() == 0) {
            continue; // a zero in LiteLLM means "not charged" (embeddings output), which aicost leaves unpriced
          }
          String field = f.getKey();
          String service = "standard";
          String base = field;
          for (Map.Entry<String, String> s : SERVICE_SUFFIXES.entrySet()) {
            if (base.endsWith(s.getKey())) {
              service = s.getValue();
              base = base.substring(0, base.length() - s.getKey().length());
              break;
            }
          }
          String context = null;
          Matcher cm = CONTEXT_SUFFIX.matcher(base);
          if (cm.matches() && FIELDS.containsKey(cm.group(1))) {
            context = ">" + cm.group(2) + "k";
            base = cm.group(1);
          }
          CostComponent component = FIELDS.get(base);
          if (component == null) {
            notModelled.add(key + '.' + field);
            continue;
          }
          compared++;
          BigDecimal theirs = new BigDecimal(Double.toString(f.getValue().doubleValue())).movePointRight(6)
              .stripTrailingZeros();
          BigDecimal ours = fineTune ? ours(set, set.fineTune(), BigDecimal.ONE, context, service, component)
              : ours(set, region, context, service, component);
          String id = key + '\t' + field;
          if (ours == null) {
            disagreements.put(id, "LiteLLM " + theirs.toPlainString() + ", aicost: not priced");
          } else if (ours.compareTo(theirs) != 0) {
            disagreements.put(id, "LiteLLM " + theirs.toPlainString() + ", aicost " + ours.toPlainString());
          } else {
            agreed++;
          }
        }
      }
    }

    Map<String, String> explained = explanations();
    List<String> unexplained = new ArrayList<>();
    List<String> stale = new ArrayList<>();
    StringBuilder report = new StringBuilder();
    report.append("LiteLLM cross-check: ").append(compared).append(" prices of ").append(providersCompared)
        .append(" compared, ").append(agreed).append(" agree, ").append(disagreements.size())
        .append(" differ (each explained in litellm-deviations.tsv); ").append(notModelled.size())
        .append(" LiteLLM fields have no aicost dimension\n");
    boolean verbose = Boolean.getBoolean("aicost.crosscheck.verbose");
    for (Map.Entry<String, String> d : disagreements.entrySet()) {
      String reason = explained.get(d.getKey());
      if (reason == null || verbose) {
        report.append(reason == null ? "  UNEXPLAINED " : "  explained   ").append(d.getKey().replace('\t', ' '))
            .append(": ").append(d.getValue()).append(reason == null ? "" : " -- " + reason).append('\n');
      }
      if (reason == null) {
        unexplained.add(d.getKey().replace('\t', ' ') + ": " + d.getValue());
      }
    }
    for (String e : explained.keySet()) {
      if (!disagreements.containsKey(e)) {
        stale.add(e.replace('\t', ' '));
      }
    }
    System.out.print(report);
    assertThat(providersCompared).as("providers cross-checked").containsAll(PricingCatalog.bundled().providers());
    assertThat(compared).as("prices compared").isGreaterThan(1500);
    assertThat(unexplained).as("disagreements with LiteLLM not explained in litellm-deviations.tsv").isEmpty();
    assertThat(stale).as("explanations in litellm-deviations.tsv that no longer match a disagreement").isEmpty();
  }

  /** The rate aicost applies in {@code region}: an exact or prefix regional entry, else the set's own rates. */
  private static BigDecimal ours(PriceSet set, String region, String context, String service, CostComponent c) {
    RegionalPricing match = null;
    if (region != null) {
      int best = -1;
      for (RegionalPricing rp : set.regional()) {
        for (String r : rp.regions()) {
          int score = r.equals(region) ? Integer.MAX_VALUE
              : r.endsWith("*") && region.startsWith(r.substring(0, r.length() - 1)) ? r.length() : -1;
          if (score > best) {
            best = score;
            match = rp;
          }
        }
      }
    }
    if (match == null) {
      return ours(set, set.rates(), BigDecimal.ONE, context, service, c);
    }
    if (match.multiplier() != null) {
      return ours(set, set.rates(), match.multiplier(), context, service, c);
    }
    return ours(set, match.rates(), BigDecimal.ONE, context, service, c);
  }

  /**
   * The rate aicost charges for {@code component}: its own price, or the rate it is billed at without one (reasoning
   * at the output rate, cache reads and writes at the input rate, dimensions billed as text at the text rate), or
   * {@code null} when such tokens are unpriced.
   */
  private static BigDecimal ours(PriceSet set, RateCard card, BigDecimal multiplier, String context, String service,
      CostComponent component) {
    if (card == null) {
      return null;
    }
    RateCard rc = card;
    if (context != null) {
      rc = null;
      for (ContextTier ct : card.contextTiers()) {
        if (ct.name().equals(context)) {
          rc = ct.rates();
        }
      }
      if (rc == null) {
        return null;
      }
    }
    Rates rates = rc.rates(ServiceTier.parse(service));
    if (rates == null) {
      return null;
    }
    BigDecimal p = rates.price(component);
    if (p == null) {
      java.util.Set<CostComponent> asText = set.billedAsText();
      p = switch (component) {
        case REASONING -> rates.price(CostComponent.OUTPUT);
        case CACHE_READ, CACHE_WRITE_5M -> rates.price(CostComponent.INPUT);
        case CACHE_WRITE_1H -> rates.has(CostComponent.CACHE_WRITE_5M) ? null : rates.price(CostComponent.INPUT);
        case AUDIO_INPUT, IMAGE_INPUT -> asText.contains(component) ? rates.price(CostComponent.INPUT) : null;
        case AUDIO_OUTPUT -> asText.contains(component) ? rates.price(CostComponent.OUTPUT) : null;
        default -> null;
      };
    }
    return p == null ? null
        : p.multiply(multiplier).setScale(6, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros();
  }

  private static Map<String, String> explanations() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                LiteLlmCrossCheckTest.class.getClassLoader().getResourceAsStream("reference/litellm-deviations.tsv"),
                StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\t", 3);
        assertThat(parts).as("line '%s' of litellm-deviations.tsv: model<TAB>field<TAB>reason", line).hasSize(3);
        assertThat(out.put(parts[0] + '\t' + parts[1], parts[2])).as("duplicate line %s", line).isNull();
      }
    }
    return out;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = LiteLlmCrossCheckTest.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
