package dev.aicost.pricing;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prices calls against a {@link PricingCatalog}, exactly (integer pico-units, no floating point) and without
 * allocating on the hot path: once a (provider, model) pair has been seen, {@link #price} costs two hash lookups, a
 * few multiplications and the returned {@link CostBreakdown}. Thread-safe; create one per catalog and share it.
 *
 * <p>A call that cannot be priced is returned {@linkplain CostBreakdown#unpriced unpriced} with one of the
 * {@link UnpricedReason} reasons, never as a zero cost.
 */
public final class CostCalculator {

  /** Resolutions cached at most; beyond it (a flood of distinct unknown names) resolution runs uncached. */
  static final int MAX_CACHED_RESOLUTIONS = 4096;

  private static final long MILLIS_PER_DAY = 86_400_000L;

  private static final class BundledHolder {
    static final CostCalculator INSTANCE = of(PricingCatalog.bundled());
  }

  private final PricingCatalog catalog;
  private final String version;
  private final ModelIndex index;
  private final Clock clock;
  private final Map<ModelEntry, CompiledEntry> compiled;
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, ModelResolution>> cache =
      new ConcurrentHashMap<>();
  private final AtomicInteger cachedCount = new AtomicInteger();

  private CostCalculator(PricingCatalog catalog, Clock clock) {
    this.catalog = catalog;
    this.version = catalog.catalogVersion();
    this.clock = clock;
    ModelIndex plain = new ModelIndex(catalog.models());
    Errors errors = new Errors(catalog.origin());
    CatalogChecks.checkDiscounts(catalog.discounts(), plain, errors);
    CatalogChecks.checkDeployments(catalog.deployments(), plain, errors);
    errors.throwIfAny();
    Map<ModelEntry, CompiledEntry> c = new IdentityHashMap<>();
    for (ModelEntry e : catalog.models()) {
      c.put(e, new CompiledEntry(e, CatalogChecks.discountFor(e, catalog.discounts(), plain)));
    }
    this.compiled = c;
    this.index = new ModelIndex(catalog.models(), c, catalog.deployments());
  }

  /** The calculator of the bundled catalog, built once. */
  public static CostCalculator bundled() {
    return BundledHolder.INSTANCE;
  }

  /**
   * A calculator for {@code catalog} (for example {@code PricingCatalog.bundled().layer(userCatalog)}).
   *
   * @throws CatalogValidationException when a discount of the catalog selects no model
   */
  public static CostCalculator of(PricingCatalog catalog) {
    return new CostCalculator(Objects.requireNonNull(catalog, "catalog"), Clock.systemUTC());
  }

  /** As {@link #of(PricingCatalog)}, with the clock that gives "today" to calls without a date. */
  static CostCalculator of(PricingCatalog catalog, Clock clock) {
    return new CostCalculator(catalog, clock);
  }

  /** The version of the catalog, recorded with every breakdown. */
  public String catalogVersion() {
    return version;
  }

  public PricingCatalog catalog() {
    return catalog;
  }

  /**
   * Prices one call.
   *
   * @param provider the provider as in {@code gen_ai.provider.name}, e.g. {@code openai}
   * @param model the model the response reports (or, failing that, the requested one)
   * @param usage normalized usage, or {@code null} when the response carried none
   * @param context service tier, region and date; {@code null} means standard tier, no region, today (UTC)
   */
  public CostBreakdown price(String provider, String model, Usage usage, PricingContext context) {
    ModelResolution r = cachedResolve(provider, model);
    return price(r, r.region, r.provisioned, usage, context == null ? PricingContext.DEFAULT : context, null);
  }

  /**
   * Prices one call from both model names an instrumentation sees: the model the response reports (the exact
   * snapshot, or for Azure the real model behind a deployment) and the one the request named (for Azure, the
   * deployment name). The response model is priced when the catalog knows it, else the request model. When the
   * request model is a configured {@linkplain Deployment deployment}, its region and billing apply whichever name
   * is priced, so an Azure Data Zone deployment is priced as such even though the response names the model.
   *
   * @param responseModel the model the response reports, or {@code null}
   * @param requestModel the model (or deployment) the request named, or {@code null}
   */
  public CostBreakdown price(
      String provider, String responseModel, String requestModel, Usage usage, PricingContext context) {
    PricingContext ctx = context == null ? PricingContext.DEFAULT : context;
    ModelResolution byRequest =
        requestModel == null || requestModel.equals(responseModel) ? null : cachedResolve(provider, requestModel);
    ModelResolution r = responseModel == null ? byRequest : cachedResolve(provider, responseModel);
    if (r == null) {
      r = cachedResolve(provider, null);
    } else if (!r.isResolved() && byRequest != null && byRequest.isResolved()) {
      r = byRequest;
    }
    String region = r.region;
    boolean provisioned = r.provisioned;
    if (byRequest != null && r != byRequest) {
      Deployment d = byRequest.deployment;
      if (d != null && !d.isDefault()) {
        if (d.region() != null) {
          region = d.region();
        }
        provisioned = byRequest.provisioned;
      }
    }
    return price(r, region, provisioned, usage, ctx, null);
  }

  /** Prices one call like {@link #price} and shows the arithmetic. Allocates; meant for tools and debugging. */
  public PricingExplanation explain(String provider, String model, Usage usage, PricingContext context) {
    PricingContext ctx = context == null ? PricingContext.DEFAULT : context;
    ModelResolution r = cachedResolve(provider, model);
    long day = day(ctx);
    LocalDate date = LocalDate.ofEpochDay(day);
    final List<PricingExplanation.Line> lines = new ArrayList<>();
    LineSink sink =
        new LineSink() {
          @Override
          public void line(CostComponent component, String what, long quantity, CostComponent rateOf, long rate,
              long amount) {
            lines.add(
                new PricingExplanation.Line(
                    component, what, quantity, rateOf, CompiledRates.published(rateOf, rate), picos(amount)));
          }

          @Override
          public void discount(CostComponent component, long before, long after) {
            lines.add(
                new PricingExplanation.Line(component, "discount", 0, null, null, picos(Math.subtractExact(after, before))));
          }
        };
    CostBreakdown b = price(r, r.region, r.provisioned, usage, ctx, sink);
    if (!b.isPriced()) {
      lines.clear();
    }
    PriceSet set = null;
    Discount discount = null;
    if (r.compiled != null) {
      CompiledPriceSet ps = r.compiled.priceSetOn(day);
      set = ps == null ? null : ps.source;
      discount = r.compiled.discount;
    }
    return new PricingExplanation(r, b, date, set, discount, lines);
  }

  private static BigDecimal picos(long amount) {
    return BigDecimal.valueOf(amount, CostBreakdown.SCALE);
  }

  /**
   * @param impliedRegion a region the model name or its deployment fixes; it wins over the region the call ran in
   */
  private CostBreakdown price(ModelResolution r, String impliedRegion, boolean provisioned, Usage usage,
      PricingContext ctx, LineSink sink) {
    CompiledEntry e = r.compiled;
    if (usage == null) {
      return CostBreakdown.unpriced(UnpricedReason.USAGE_UNAVAILABLE, e == null ? null : e.entryId, version);
    }
    if (e == null) {
      return CostBreakdown.unpriced(UnpricedReason.UNKNOWN_MODEL, null, version);
    }
    if (provisioned) {
      return CostBreakdown.unpriced(UnpricedReason.PROVISIONED_THROUGHPUT, e.entryId, version);
    }
    CompiledPriceSet ps = e.priceSetOn(day(ctx));
    if (ps == null) {
      return CostBreakdown.unpriced(UnpricedReason.NO_PRICE_FOR_DATE, e.entryId, version);
    }
    CompiledCard card;
    if (r.isFineTuned()) {
      card = ps.fineTune;
      if (card == null) {
        return CostBreakdown.unpriced(UnpricedReason.NO_FINE_TUNE_PRICE, e.entryId, version);
      }
    } else {
      // A region implied by the model name (a Bedrock 'global.' inference profile) or by a deployment wins over the
      // region the call ran in.
      card = ps.cardFor(impliedRegion != null ? impliedRegion : ctx.region());
    }
    CompiledRates rates = card.select(usage.input(), ctx.serviceTier().ordinal());
    if (rates == null) {
      return CostBreakdown.unpriced(UnpricedReason.NO_PRICE_FOR_TIER, e.entryId, version);
    }
    return Pricer.price(e, ps.currency, rates, usage, version, sink);
  }

  private long day(PricingContext ctx) {
    LocalDate d = ctx.date();
    return d != null ? d.toEpochDay() : Math.floorDiv(clock.millis(), MILLIS_PER_DAY);
  }

  /**
   * How a (provider, model) pair resolves in this calculator's catalog: exact id, alias, dated snapshot,
   * {@code provider/} prefix, {@code ft:} fine-tune, pattern, or not at all.
   */
  public ModelResolution resolve(String provider, String model) {
    return cachedResolve(provider, model);
  }

  /** Up to {@code n} known ids and aliases closest to {@code model}, for "did you mean" messages. */
  public List<String> closestIds(String provider, String model, int n) {
    return index.closestIds(provider, model, n);
  }

  /** The discount applied to an entry of this calculator's catalog, or {@code null}. */
  public Discount discountFor(ModelEntry entry) {
    CompiledEntry e = compiled.get(entry);
    return e == null ? null : e.discount;
  }

  private ModelResolution cachedResolve(String provider, String model) {
    if (provider == null || model == null) {
      return index.resolve(provider, model);
    }
    ConcurrentHashMap<String, ModelResolution> byModel = cache.get(provider);
    if (byModel != null) {
      ModelResolution r = byModel.get(model);
      if (r != null) {
        return r;
      }
    }
    ModelResolution r = index.resolve(provider, model);
    if (cachedCount.get() < MAX_CACHED_RESOLUTIONS) {
      if (byModel == null) {
        byModel = cache.computeIfAbsent(provider, k -> new ConcurrentHashMap<>());
      }
      if (byModel.putIfAbsent(model, r) == null) {
        cachedCount.incrementAndGet();
      }
    }
    return r;
  }

  /** Number of cached resolutions (for tests). */
  int cachedResolutions() {
    return cachedCount.get();
  }
}
