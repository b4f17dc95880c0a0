package dev.aicost.pricing;

import java.math.BigDecimal;
import java.math.BigInteger;

/** A {@link ModelEntry} ready for the hot path: price sets oldest first, its discount as a reduced fraction. */
final class CompiledEntry {

  final ModelEntry model;
  final String entryId;
  final CompiledPriceSet[] sets;
  final Discount discount;
  /** Each line is multiplied by {@code discountNum / discountDen}; {@code discountDen == 0} means no discount. */
  final long discountNum;
  final long discountDen;

  CompiledEntry(ModelEntry model, Discount discount) {
    this.model = model;
    this.entryId = model.entryId();
    this.sets = new CompiledPriceSet[model.prices().size()];
    for (int i = 0; i < sets.length; i++) {
      sets[i] = new CompiledPriceSet(model.prices().get(i));
    }
    if (discount == null || discount.percent().signum() == 0) {
      this.discount = null;
      this.discountNum = 0;
      this.discountDen = 0;
    } else {
      this.discount = discount;
      // (100 - p) / 100 with p of at most 4 decimals, reduced: 15% gives 17/20.
      BigDecimal keep = BigDecimal.valueOf(100).subtract(discount.percent());
      int scale = Math.max(keep.scale(), 0);
      BigInteger num = keep.movePointRight(scale).toBigIntegerExact();
      BigInteger den = BigInteger.valueOf(100).multiply(BigInteger.TEN.pow(scale));
      BigInteger gcd = num.gcd(den);
      if (gcd.signum() == 0) {
        gcd = BigInteger.ONE;
      }
      this.discountNum = num.divide(gcd).longValueExact();
      this.discountDen = den.divide(gcd).longValueExact();
    }
  }

  /** The price set in force on an epoch day, or {@code null}. */
  CompiledPriceSet priceSetOn(long epochDay) {
    for (CompiledPriceSet s : sets) {
      if (epochDay >= s.fromDay && epochDay < s.toDay) {
        return s;
      }
    }
    return null;
  }
}
