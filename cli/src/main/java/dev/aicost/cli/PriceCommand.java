package dev.aicost.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aicost.pricing.CostBreakdown;
import dev.aicost.pricing.CostCalculator;
import dev.aicost.pricing.CostComponent;
import dev.aicost.pricing.ModelResolution;
import dev.aicost.pricing.PriceSet;
import dev.aicost.pricing.PricingCatalog;
import dev.aicost.pricing.PricingContext;
import dev.aicost.pricing.PricingExplanation;
import dev.aicost.pricing.RateCard;
import dev.aicost.pricing.ServiceTier;
import dev.aicost.pricing.UnpricedReason;
import dev.aicost.pricing.Usage;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code aicost price}: prices one call and shows the arithmetic. */
final class PriceCommand {

  private static final Set<String> VALUED =
      CommandLine.names(
          "provider", "model", "input", "output", "cache-read", "cache-write-5m", "cache-write-1h", "reasoning",
          "audio-input", "audio-output", "image-input", "web-search", "service-tier", "region", "date", "catalog",
          "import");
  private static final Set<String> FLAGS = CommandLine.names("json");
  static final ObjectMapper JSON = new ObjectMapper();

  private final PrintStream out;
  private final PrintStream err;

  PriceCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  int run(List<String> args) throws UsageError, IOException {
    CommandLine cl = CommandLine.parse("price", args, VALUED, FLAGS);
    if (cl.help()) {
      out.print(Help.price());
      return Main.OK;
    }
    if (!cl.positionals().isEmpty()) {
      throw new UsageError("price", "unexpected argument '" + cl.positionals().get(0) + "'");
    }
    String provider = cl.option("provider", "openai");
    String model = cl.option("model");
    if (model == null) {
      throw new UsageError("price", "--model is required");
    }
    if (cl.option("input") == null && cl.option("output") == null) {
      throw new UsageError("price", "give the token counts: at least --input or --output");
    }
    long input = cl.count("input");
    long output = cl.count("output");
    long inputParts = 0;
    for (String part : new String[] {"cache-read", "cache-write-5m", "cache-write-1h", "audio-input", "image-input"}) {
      inputParts += cl.count(part); // each < 10^18: no overflow
    }
    if (inputParts > input) {
      throw new UsageError(
          "price",
          "--cache-read, --cache-write-5m, --cache-write-1h, --audio-input and --image-input are parts of --input:"
              + " together " + inputParts + " exceed --input " + input
              + " (counts follow the normalized convention: --input counts every input token)");
    }
    if (cl.count("reasoning") + cl.count("audio-output") > output) {
      throw new UsageError(
          "price",
          "--reasoning and --audio-output are parts of --output: together "
              + (cl.count("reasoning") + cl.count("audio-output")) + " exceed --output " + output
              + " (counts follow the normalized convention: --output counts every output token)");
    }
    Usage usage =
        Usage.builder()
            .input(input)
            .output(output)
            .cacheRead(cl.count("cache-read"))
            .cacheWrite5m(cl.count("cache-write-5m"))
            .cacheWrite1h(cl.count("cache-write-1h"))
            .reasoning(cl.count("reasoning"))
            .audioInput(cl.count("audio-input"))
            .audioOutput(cl.count("audio-output"))
            .imageInput(cl.count("image-input"))
            .webSearchCalls(cl.count("web-search"))
            .build();
    ServiceTier tier;
    try {
      tier = ServiceTier.parse(cl.option("service-tier"));
    } catch (IllegalArgumentException e) {
      throw new UsageError("price", "--service-tier: " + e.getMessage());
    }
    LocalDate date = Catalogs.date(cl);
    PricingContext ctx = PricingContext.of(tier, cl.option("region"), date);
    PricingCatalog catalog = Catalogs.from(cl, err);
    CostCalculator calc = CostCalculator.of(catalog);
    PricingExplanation x = calc.explain(provider, model, usage, ctx);
    CostBreakdown b = x.breakdown();

    if (!x.resolution().isResolved()) {
      List<String> close = calc.closestIds(provider, model, 3);
      boolean providerKnown = catalog.providers().contains(provider.trim().toLowerCase(java.util.Locale.ROOT));
      String message =
          "unknown model '" + model + "' for provider '" + provider + "'"
              + (providerKnown ? "" : " (the catalog has no model of that provider; providers: "
                  + String.join(", ", catalog.providers()) + ")")
              + (close.isEmpty() ? "" : "; closest known: " + String.join(", ", close));
      if (cl.flag("json")) {
        ObjectNode o = JSON.createObjectNode();
        o.put("priced", false);
        o.put("unpriced_reason", UnpricedReason.UNKNOWN_MODEL);
        o.put("provider", provider);
        o.put("model", model);
        o.put("catalog_version", calc.catalogVersion());
        ArrayNode s = o.putArray("suggestions");
        close.forEach(s::add);
        out.println(o.toString());
      }
      err.println("aicost: " + message);
      return Main.UNKNOWN_MODEL;
    }

    if (cl.flag("json")) {
      out.println(json(x, ctx).toString());
      return b.isPriced() ? Main.OK : Main.NOT_PRICED;
    }
    header(x, ctx, cl.option("date") == null);
    if (!b.isPriced()) {
      out.println();
      out.println("not priced: " + b.unpricedReason() + " - " + why(x, ctx));
      return Main.NOT_PRICED;
    }
    out.println();
    int scale = 2;
    for (PricingExplanation.Line l : x.lines()) {
      scale = Math.max(scale, l.amount().stripTrailingZeros().scale());
    }
    TextTable t = new TextTable("line", "tokens>", "rate>", "per", "amount>", "what");
    for (PricingExplanation.Line l : x.lines()) {
      String amount = l.amount().setScale(scale).toPlainString();
      if (l.isDiscount()) {
        t.row(l.component().id(), "", "", "", amount, "discount");
      } else {
        t.row(l.component().id(), Formats.tokens(l.quantity()), rate(l.unitPrice()), l.unit(), amount,
            l.description());
      }
    }
    t.print(out, "  ");
    out.println();
    out.println("  total  " + Formats.money(b.total()) + ' ' + b.currency());
    return Main.OK;
  }

  private void header(PricingExplanation x, PricingContext ctx, boolean today) {
    ModelResolution r = x.resolution();
    CostBreakdown b = x.breakdown();
    out.println("entry     " + r.entry().entryId() + "  (" + r.model() + ": " + r.describe() + ')');
    out.println("catalog   " + b.catalogVersion());
    PriceSet p = x.priceSet();
    if (p != null) {
      out.println("prices    in force " + p.effectiveFrom() + " to "
          + (p.effectiveTo() == null ? "now" : p.effectiveTo() + " (exclusive)") + ", source " + p.source());
    }
    String tier = b.isPriced() ? b.tier() : ctx.serviceTier().id();
    out.println("tier      " + tier + (ctx.region() == null ? "" : "   region " + ctx.region()));
    out.println("date      " + x.date() + (today ? " (today, UTC)" : ""));
    if (x.discount() != null) {
      out.println("discount  " + Formats.money(x.discount().percent()) + "% (" + x.discount().selector() + ')');
    }
  }

  /** Why a known model could not be priced, in words. */
  static String why(PricingExplanation x, PricingContext ctx) {
    String reason = x.breakdown().unpricedReason();
    String entry = x.resolution().entry().entryId();
    PriceSet p = x.priceSet();
    switch (reason) {
      case UnpricedReason.NO_PRICE_FOR_DATE:
        List<String> ranges = new ArrayList<>();
        for (PriceSet s : x.resolution().entry().prices()) {
          ranges.add(s.effectiveFrom() + " to " + (s.effectiveTo() == null ? "now" : s.effectiveTo()));
        }
        return entry + " has no price in force on " + x.date() + "; priced periods: " + String.join(", ", ranges);
      case UnpricedReason.NO_PRICE_FOR_TIER:
        RateCard card = x.resolution().isFineTuned() ? p.fineTune() : p.rates();
        StringBuilder sb = new StringBuilder(entry + " has no " + ctx.serviceTier().id() + " rates");
        sb.append(" (offered: ");
        List<String> tiers = new ArrayList<>();
        for (ServiceTier t : card.serviceTiers()) {
          tiers.add(t.id());
        }
        sb.append(String.join(", ", tiers)).append(')');
        if (!card.contextTiers().isEmpty()) {
          sb.append("; above a context threshold only the tiers the catalog lists for that size are priced");
        }
        return sb.toString();
      case UnpricedReason.NO_FINE_TUNE_PRICE:
        return entry + " has no fine-tune rates for " + x.date();
      case UnpricedReason.USAGE_UNAVAILABLE:
        return "no usage";
      case UnpricedReason.COST_OVERFLOW:
        return "the amount exceeds the exact range (about 9.2 million " + (p == null ? "USD" : p.currency())
            + " per line)";
      default:
        return entry + " has no price for the " + reason.replace("no_price_for_", "").replace('_', ' ')
            + " tokens of this call";
    }
  }

  private static ObjectNode json(PricingExplanation x, PricingContext ctx) {
    CostBreakdown b = x.breakdown();
    ObjectNode o = JSON.createObjectNode();
    o.put("priced", b.isPriced());
    if (b.isPriced()) {
      o.put("total", Formats.money(b.total()));
      o.put("currency", b.currency());
    } else {
      o.put("unpriced_reason", b.unpricedReason());
    }
    o.put("entry", b.entryId());
    o.put("tier", b.isPriced() ? b.tier() : ctx.serviceTier().id());
    o.put("catalog_version", b.catalogVersion());
    o.put("date", x.date().toString());
    if (ctx.region() != null) {
      o.put("region", ctx.region());
    }
    o.put("resolution", x.resolution().describe());
    if (x.discount() != null) {
      o.put("discount_percent", Formats.money(x.discount().percent()));
    }
    ObjectNode lines = o.putObject("breakdown");
    for (Map.Entry<CostComponent, BigDecimal> e : b.lines().entrySet()) {
      lines.put(e.getKey().id(), Formats.money(e.getValue()));
    }
    return o;
  }

  private static String rate(BigDecimal r) {
    return r.scale() < 2 ? r.setScale(2).toPlainString() : r.toPlainString();
  }
}
