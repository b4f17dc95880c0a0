package dev.aicost.pricing;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;

/**
 * The priced cost of one call, line by line, or the reason it could not be priced.
 *
 * <p>Amounts are exact: every line is an integer number of pico-units of the currency (10<sup>-12</sup> USD), which
 * represents any price with up to six decimals per million tokens without rounding. {@link #total()} and
 * {@link #amount(CostComponent)} give the same values as {@link BigDecimal}s with scale 12.
 */
public final class CostBreakdown {

  /** Scale of {@link BigDecimal} amounts: one unit is 10^-12 of the currency. */
  public static final int SCALE = 12;

  private final boolean priced;
  private final String unpricedReason;
  private final String currency;
  private final String entryId;
  private final String catalogVersion;
  private final String tier;
  private final long input;
  private final long cacheRead;
  private final long cacheWrite5m;
  private final long cacheWrite1h;
  private final long output;
  private final long reasoning;
  private final long audioInput;
  private final long audioOutput;
  private final long imageInput;
  private final long webSearch;
  private final long total;

  private CostBreakdown(
      boolean priced,
      String unpricedReason,
      String currency,
      String entryId,
      String catalogVersion,
      String tier,
      long input,
      long cacheRead,
      long cacheWrite5m,
      long cacheWrite1h,
      long output,
      long reasoning,
      long audioInput,
      long audioOutput,
      long imageInput,
      long webSearch) {
    this.priced = priced;
    this.unpricedReason = unpricedReason;
    this.currency = currency;
    this.entryId = entryId;
    this.catalogVersion = catalogVersion;
    this.tier = tier;
    this.input = input;
    this.cacheRead = cacheRead;
    this.cacheWrite5m = cacheWrite5m;
    this.cacheWrite1h = cacheWrite1h;
    this.output = output;
    this.reasoning = reasoning;
    this.audioInput = audioInput;
    this.audioOutput = audioOutput;
    this.imageInput = imageInput;
    this.webSearch = webSearch;
    this.total =
        Math.addExact(
            Math.addExact(
                Math.addExact(Math.addExact(input, cacheRead), Math.addExact(cacheWrite5m, cacheWrite1h)),
                Math.addExact(Math.addExact(output, reasoning), Math.addExact(audioInput, audioOutput))),
            Math.addExact(imageInput, webSearch));
  }

  /**
   * A priced call. Amounts are in pico-units of {@code currency}.
   *
   * @param tier the price tier applied, e.g. {@code standard}, {@code batch}, {@code priority}, or a context tier
   *     such as {@code standard>200k}
   */
  public static CostBreakdown priced(
      String currency,
      String entryId,
      String catalogVersion,
      String tier,
      long input,
      long cacheRead,
      long cacheWrite5m,
      long cacheWrite1h,
      long output,
      long reasoning,
      long audioInput,
      long audioOutput,
      long imageInput,
      long webSearch) {
    return new CostBreakdown(
        true,
        null,
        currency,
        entryId,
        catalogVersion,
        tier,
        input,
        cacheRead,
        cacheWrite5m,
        cacheWrite1h,
        output,
        reasoning,
        audioInput,
        audioOutput,
        imageInput,
        webSearch);
  }

  /**
   * A call that could not be priced. Never a zero price: the reason says why (e.g. {@code unknown_model},
   * {@code usage_unavailable}, {@code no_price_for_tier}).
   *
   * @param entryId the catalog entry that matched, or {@code null} when none did
   */
  public static CostBreakdown unpriced(String reason, String entryId, String catalogVersion) {
    return new CostBreakdown(false, reason, null, entryId, catalogVersion, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  public boolean isPriced() {
    return priced;
  }

  /** Why the call is not priced, or {@code null} when it is. */
  public String unpricedReason() {
    return unpricedReason;
  }

  /** ISO 4217 code, e.g. {@code USD}; {@code null} when not priced. */
  public String currency() {
    return currency;
  }

  /** The catalog entry used, e.g. {@code openai/gpt-4o}. */
  public String entryId() {
    return entryId;
  }

  public String catalogVersion() {
    return catalogVersion;
  }

  /** The price tier applied; {@code null} when not priced. */
  public String tier() {
    return tier;
  }

  public long totalPicos() {
    return total;
  }

  public BigDecimal total() {
    return BigDecimal.valueOf(total, SCALE);
  }

  public long amountPicos(CostComponent component) {
    switch (component) {
      case INPUT:
        return input;
      case CACHE_READ:
        return cacheRead;
      case CACHE_WRITE_5M:
        return cacheWrite5m;
      case CACHE_WRITE_1H:
        return cacheWrite1h;
      case OUTPUT:
        return output;
      case REASONING:
        return reasoning;
      case AUDIO_INPUT:
        return audioInput;
      case AUDIO_OUTPUT:
        return audioOutput;
      case IMAGE_INPUT:
        return imageInput;
      case WEB_SEARCH:
        return webSearch;
      default:
        throw new AssertionError(component);
    }
  }

  public BigDecimal amount(CostComponent component) {
    return BigDecimal.valueOf(amountPicos(component), SCALE);
  }

  /** The non-zero lines, in {@link CostComponent} order. */
  public Map<CostComponent, BigDecimal> lines() {
    Map<CostComponent, BigDecimal> lines = new EnumMap<>(CostComponent.class);
    for (CostComponent c : CostComponent.values()) {
      long v = amountPicos(c);
      if (v != 0) {
        lines.put(c, BigDecimal.valueOf(v, SCALE));
      }
    }
    return lines;
  }

  /** Formats an amount without trailing zeros, e.g. {@code 0.0375}; {@code 0} for zero. */
  public static String format(BigDecimal amount) {
    BigDecimal s = amount.stripTrailingZeros();
    return s.signum() == 0 ? "0" : s.toPlainString();
  }

  @Override
  public String toString() {
    if (!priced) {
      return "CostBreakdown{unpriced=" + unpricedReason + ", entry=" + entryId + '}';
    }
    return "CostBreakdown{total=" + format(total()) + ' ' + currency + ", entry=" + entryId + ", tier=" + tier
        + ", lines=" + lines() + '}';
  }
}
