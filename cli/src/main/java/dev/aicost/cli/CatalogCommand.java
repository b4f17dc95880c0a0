package dev.aicost.cli;

import dev.aicost.pricing.CatalogValidationException;
import dev.aicost.pricing.ContextTier;
import dev.aicost.pricing.CostCalculator;
import dev.aicost.pricing.CostComponent;
import dev.aicost.pricing.Deployment;
import dev.aicost.pricing.Discount;
import dev.aicost.pricing.ModelEntry;
import dev.aicost.pricing.ModelResolution;
import dev.aicost.pricing.PriceSet;
import dev.aicost.pricing.PricingCatalog;
import dev.aicost.pricing.RateCard;
import dev.aicost.pricing.Rates;
import dev.aicost.pricing.RegionalPricing;
import dev.aicost.pricing.ServiceTier;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code aicost catalog validate|list|show}. */
final class CatalogCommand {

  private final PrintStream out;
  private final PrintStream err;

  CatalogCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  int run(List<String> args) throws UsageError, IOException {
    if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
      if (args.isEmpty()) {
        throw new UsageError("catalog", "give a subcommand: validate, list or show");
      }
      out.print(Help.catalog());
      return Main.OK;
    }
    List<String> rest = args.subList(1, args.size());
    switch (args.get(0)) {
      case "validate":
        return validate(CommandLine.parse("catalog", rest, CommandLine.names(), CommandLine.names("standalone")));
      case "list":
        return list(
            CommandLine.parse("catalog", rest, CommandLine.names("provider", "catalog", "import", "date"),
                CommandLine.names()));
      case "show":
        return show(
            CommandLine.parse("catalog", rest, CommandLine.names("provider", "catalog", "import", "date"),
                CommandLine.names()));
      default:
        throw new UsageError("catalog", "unknown catalog subcommand '" + args.get(0) + "': validate, list or show");
    }
  }

  private int validate(CommandLine cl) throws UsageError, IOException {
    if (cl.help()) {
      out.print(Help.catalog());
      return Main.OK;
    }
    if (cl.positionals().size() != 1) {
      throw new UsageError("catalog", "catalog validate takes one FILE");
    }
    String file = cl.positionals().get(0);
    PricingCatalog user;
    try {
      user = PricingCatalog.load(Paths.get(file));
      if (!cl.flag("standalone")) {
        PricingCatalog.bundled().layer(user);
      }
    } catch (CatalogValidationException e) {
      out.println(file + ": invalid, " + e.errors().size() + (e.errors().size() == 1 ? " error" : " errors"));
      for (String error : e.errors()) {
        out.println("  " + error);
      }
      return Main.ERROR;
    }
    int sets = 0;
    for (ModelEntry m : user.models()) {
      sets += m.prices().size();
    }
    out.println(file + ": valid, catalog_version " + user.catalogVersion() + ", " + user.models().size()
        + (user.models().size() == 1 ? " model, " : " models, ") + sets + (sets == 1 ? " price set, " : " price sets, ")
        + user.discounts().size() + (user.discounts().size() == 1 ? " discount" : " discounts")
        + (user.deployments().isEmpty() ? "" : ", " + user.deployments().size()
            + (user.deployments().size() == 1 ? " deployment" : " deployments"))
        + (cl.flag("standalone") ? "" : "; layers cleanly over the bundled catalog "
            + PricingCatalog.bundled().catalogVersion()));
    return Main.OK;
  }

  private int list(CommandLine cl) throws UsageError, IOException {
    if (cl.help()) {
      out.print(Help.catalog());
      return Main.OK;
    }
    if (!cl.positionals().isEmpty()) {
      throw new UsageError("catalog", "catalog list takes no argument, was '" + cl.positionals().get(0) + "'");
    }
    PricingCatalog catalog = Catalogs.from(cl, err);
    String provider = cl.option("provider");
    List<ModelEntry> models = provider == null ? catalog.models() : catalog.models(provider);
    if (models.isEmpty()) {
      err.println("aicost: no model of provider '" + provider + "' in the catalog; providers: "
          + String.join(", ", catalog.providers()));
      return Main.ERROR;
    }
    LocalDate today = Catalogs.date(cl);
    out.println("catalog " + catalog.catalogVersion() + ": " + models.size() + " models"
        + (provider == null ? "" : " of " + provider) + "; standard prices in force " + today
        + ", USD per 1M tokens");
    out.println();
    TextTable t = new TextTable("entry", "mode", "input>", "cache read>", "output>", "tiers", "since", "aliases>");
    for (ModelEntry m : models) {
      PriceSet p = m.priceSetOn(today);
      if (p == null) {
        t.row(m.entryId(), m.mode(), "-", "-", "-", "(no price in force)", "", Integer.toString(m.aliases().size()));
        continue;
      }
      Rates s = p.rates().standard();
      List<String> tiers = new ArrayList<>();
      for (ServiceTier tier : p.rates().serviceTiers()) {
        if (tier != ServiceTier.STANDARD) {
          tiers.add(tier.id());
        }
      }
      for (ContextTier ct : p.rates().contextTiers()) {
        tiers.add(ct.name());
      }
      if (p.fineTune() != null) {
        tiers.add("ft");
      }
      if (!p.regional().isEmpty()) {
        tiers.add("regional");
      }
      t.row(m.entryId(), m.mode(), price(s, CostComponent.INPUT), price(s, CostComponent.CACHE_READ),
          price(s, CostComponent.OUTPUT), String.join(" ", tiers), p.effectiveFrom().toString(),
          Integer.toString(m.aliases().size()));
    }
    t.print(out, "");
    return Main.OK;
  }

  private int show(CommandLine cl) throws UsageError, IOException {
    if (cl.help()) {
      out.print(Help.catalog());
      return Main.OK;
    }
    if (cl.positionals().size() != 1) {
      throw new UsageError("catalog", "catalog show takes one MODEL");
    }
    String model = cl.positionals().get(0);
    String provider = cl.option("provider", "openai");
    PricingCatalog catalog = Catalogs.from(cl, err);
    CostCalculator calc = CostCalculator.of(catalog);
    ModelResolution r = calc.resolve(provider, model);
    if (!r.isResolved()) {
      List<String> close = calc.closestIds(provider, model, 3);
      err.println("aicost: unknown model '" + model + "' for provider '" + provider + "'"
          + (close.isEmpty() ? "" : "; closest known: " + String.join(", ", close)));
      return Main.UNKNOWN_MODEL;
    }
    LocalDate date = Catalogs.date(cl);
    ModelEntry m = r.entry();
    out.println(m.entryId() + "  (" + model + ": " + r.describe() + ')');
    out.println("  mode      " + m.mode());
    out.println("  aliases   " + (m.aliases().isEmpty() ? "(none)" : String.join(", ", m.aliases())));
    if (!m.patterns().isEmpty()) {
      out.println("  patterns  " + String.join(", ", m.patterns()));
    }
    if (m.note() != null) {
      out.println("  note      " + m.note());
    }
    Deployment dep = r.deployment();
    if (dep != null) {
      out.println("  deployed  " + (dep.isDefault() ? "default deployment '*' of " + dep.provider()
              : "'" + dep.name() + "' serves " + dep.model())
          + (dep.region() == null ? "" : ", priced in region '" + dep.region() + "'")
          + (dep.billing() == Deployment.Billing.PROVISIONED ? ", provisioned: calls are unpriced" : ""));
    } else if (r.impliedRegion() != null) {
      out.println("  region    '" + r.impliedRegion() + "' (implied by the name)");
    }
    Discount d = calc.discountFor(m);
    if (d != null) {
      out.println("  discount  " + Formats.money(d.percent()) + "% off every line (" + d.selector() + ')');
    }
    out.println("  catalog   " + catalog.catalogVersion());
    for (int i = 0; i < m.prices().size(); i++) {
      PriceSet p = m.prices().get(i);
      out.println();
      out.println("price set " + (i + 1) + " of " + m.prices().size() + ": " + p.effectiveFrom() + " to "
          + (p.effectiveTo() == null ? "now" : p.effectiveTo() + " (exclusive)")
          + (p.inForceOn(date) ? "   <- in force " + date : ""));
      out.println("  source    " + p.source());
      if (p.verifiedOn() != null) {
        out.println("  verified  " + p.verifiedOn() + " against " + p.verifiedAgainst());
      }
      if (p.note() != null) {
        out.println("  note      " + p.note());
      }
      if (!p.billedAsText().isEmpty()) {
        List<String> dims = new ArrayList<>();
        for (CostComponent c : p.billedAsText()) {
          dims.add(c.id());
        }
        out.println("  billed at the text rate: " + String.join(", ", dims));
      }
      out.println("  " + p.currency() + " per 1M tokens (web_search: per 1K calls)");
      card(p.rates(), "", "");
      for (RegionalPricing rp : p.regional()) {
        String regions = String.join(", ", rp.regions());
        if (rp.multiplier() != null) {
          out.println("  regional  " + regions + ": every rate x " + rp.multiplier().toPlainString());
        } else {
          out.println("  regional  " + regions + ":");
          card(rp.rates(), "", "@" + String.join(",", rp.regions()));
        }
      }
      if (p.fineTune() != null) {
        out.println("  fine-tuned models (ft:" + m.id() + ":...):");
        card(p.fineTune(), "ft:", "");
      }
    }
    return Main.OK;
  }

  /** One table per card: a row per service tier, then per context tier and its service tiers. */
  private void card(RateCard card, String labelPrefix, String labelSuffix) {
    Set<CostComponent> used = EnumSet.noneOf(CostComponent.class);
    List<String> labels = new ArrayList<>();
    List<Rates> rows = new ArrayList<>();
    for (ServiceTier t : card.serviceTiers()) {
      labels.add(labelPrefix + t.id() + labelSuffix);
      rows.add(card.rates(t));
    }
    for (ContextTier ct : card.contextTiers()) {
      for (ServiceTier t : ct.rates().serviceTiers()) {
        labels.add(labelPrefix + t.id() + ct.name() + labelSuffix + " (input " + ct.operator().symbol() + ' '
            + Formats.tokens(ct.threshold()) + ')');
        rows.add(ct.rates().rates(t));
      }
    }
    for (Rates r : rows) {
      used.addAll(r.asMap().keySet());
    }
    List<String> headers = new ArrayList<>();
    headers.add("tier");
    for (CostComponent c : used) {
      headers.add(c.id() + ">");
    }
    TextTable table = new TextTable(headers.toArray(new String[0]));
    for (int i = 0; i < rows.size(); i++) {
      List<String> cells = new ArrayList<>();
      cells.add(labels.get(i));
      for (CostComponent c : used) {
        cells.add(price(rows.get(i), c));
      }
      table.row(cells.toArray(new String[0]));
    }
    table.print(out, "    ");
  }

  private static String price(Rates r, CostComponent c) {
    BigDecimal p = r.price(c);
    return p == null ? "-" : Formats.money(p);
  }
}
