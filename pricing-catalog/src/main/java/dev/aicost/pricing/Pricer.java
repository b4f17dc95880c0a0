package dev.aicost.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The arithmetic of one priced call, shared by {@link CostCalculator#price} (no sink: no allocation besides the
 * returned breakdown) and {@link CostCalculator#explain} (a sink records each line). All amounts are exact longs of
 * pico-units; any overflow makes the call unpriced with {@link UnpricedReason#COST_OVERFLOW}, never a wrapped value.
 */
final class Pricer {

  private Pricer() {}

  static CostBreakdown price(
      CompiledEntry e, String currency, CompiledRates r, Usage u, String version, LineSink sink) {
    try {
      return compute(e, currency, r, u, version, sink);
    } catch (ArithmeticException overflow) {
      return CostBreakdown.unpriced(UnpricedReason.COST_OVERFLOW, e.entryId, version);
    }
  }

  private static CostBreakdown compute(
      CompiledEntry e, String currency, CompiledRates r, Usage u, String version, LineSink sink) {
    // Input side. Cached, cache-write, audio and image tokens are parts of input: each is billed exactly once, at its
    // own rate when the catalog has one, else at the text input rate in the INPUT line.
    long textIn = u.uncachedTextInput();
    long input = mul(textIn, r.input);
    if (sink != null && textIn != 0) {
      sink.line(CostComponent.INPUT, "uncached text input", textIn, CostComponent.INPUT, r.input, input);
    }
    long cacheRead = 0;
    long tokens = u.cacheRead();
    if (tokens != 0) {
      if (r.cacheRead != CompiledRates.ABSENT) {
        cacheRead = line(sink, CostComponent.CACHE_READ, "cache read", tokens, CostComponent.CACHE_READ, r.cacheRead);
      } else {
        input = Math.addExact(input, line(sink, CostComponent.INPUT, "cache read (no cache-read price: input rate)",
            tokens, CostComponent.INPUT, r.input));
      }
    }
    long cacheWrite5m = 0;
    tokens = u.cacheWrite5m();
    if (tokens != 0) {
      if (r.cacheWrite5m != CompiledRates.ABSENT) {
        cacheWrite5m = line(sink, CostComponent.CACHE_WRITE_5M, "cache write (5 min)", tokens,
            CostComponent.CACHE_WRITE_5M, r.cacheWrite5m);
      } else {
        input = Math.addExact(input, line(sink, CostComponent.INPUT,
            "cache write 5m (no cache-write price: input rate)", tokens, CostComponent.INPUT, r.input));
      }
    }
    long cacheWrite1h = 0;
    tokens = u.cacheWrite1h();
    if (tokens != 0) {
      if (r.cacheWrite1h != CompiledRates.ABSENT) {
        cacheWrite1h = line(sink, CostComponent.CACHE_WRITE_1H, "cache write (1 hour)", tokens,
            CostComponent.CACHE_WRITE_1H, r.cacheWrite1h);
      } else if (r.cacheWrite5m != CompiledRates.ABSENT) {
        // The provider prices cache writes by duration and the catalog lacks the 1-hour rate: pricing at the 5-minute
        // rate is the classic undercount, so refuse.
        return unpriced(UnpricedReason.NO_PRICE_FOR_CACHE_WRITE_1H, e, version);
      } else {
        input = Math.addExact(input, line(sink, CostComponent.INPUT,
            "cache write 1h (no cache-write price: input rate)", tokens, CostComponent.INPUT, r.input));
      }
    }
    long audioInput = 0;
    tokens = u.audioInput();
    if (tokens != 0) {
      if (r.audioInput != CompiledRates.ABSENT) {
        audioInput = line(sink, CostComponent.AUDIO_INPUT, "audio input", tokens, CostComponent.AUDIO_INPUT,
            r.audioInput);
      } else if (r.audioInputAsText) {
        input = Math.addExact(input, line(sink, CostComponent.INPUT, "audio input (billed as text input)", tokens,
            CostComponent.INPUT, r.input));
      } else {
        return unpriced(UnpricedReason.NO_PRICE_FOR_AUDIO_INPUT, e, version);
      }
    }
    long imageInput = 0;
    tokens = u.imageInput();
    if (tokens != 0) {
      if (r.imageInput != CompiledRates.ABSENT) {
        imageInput = line(sink, CostComponent.IMAGE_INPUT, "image input", tokens, CostComponent.IMAGE_INPUT,
            r.imageInput);
      } else if (r.imageInputAsText) {
        input = Math.addExact(input, line(sink, CostComponent.INPUT, "image input (billed as text input)", tokens,
            CostComponent.INPUT, r.input));
      } else {
        return unpriced(UnpricedReason.NO_PRICE_FOR_IMAGE_INPUT, e, version);
      }
    }

    // Output side. Reasoning and audio output are parts of output.
    long textOut = u.textOutput();
    if (textOut != 0 && r.output == CompiledRates.ABSENT) {
      return unpriced(UnpricedReason.NO_PRICE_FOR_OUTPUT, e, version);
    }
    long output = mul(textOut, r.output);
    if (sink != null && textOut != 0) {
      sink.line(CostComponent.OUTPUT, "text output", textOut, CostComponent.OUTPUT, r.output, output);
    }
    long reasoning = 0;
    tokens = u.reasoning();
    if (tokens != 0) {
      if (r.reasoning != CompiledRates.ABSENT) {
        reasoning = line(sink, CostComponent.REASONING, "reasoning", tokens, CostComponent.REASONING, r.reasoning);
      } else if (r.output != CompiledRates.ABSENT) {
        output = Math.addExact(output, line(sink, CostComponent.OUTPUT, "reasoning (billed as output)", tokens,
            CostComponent.OUTPUT, r.output));
      } else {
        return unpriced(UnpricedReason.NO_PRICE_FOR_OUTPUT, e, version);
      }
    }
    long audioOutput = 0;
    tokens = u.audioOutput();
    if (tokens != 0) {
      if (r.audioOutput != CompiledRates.ABSENT) {
        audioOutput = line(sink, CostComponent.AUDIO_OUTPUT, "audio output", tokens, CostComponent.AUDIO_OUTPUT,
            r.audioOutput);
      } else if (r.audioOutputAsText && r.output != CompiledRates.ABSENT) {
        output = Math.addExact(output, line(sink, CostComponent.OUTPUT, "audio output (billed as text output)", tokens,
            CostComponent.OUTPUT, r.output));
      } else {
        return unpriced(UnpricedReason.NO_PRICE_FOR_AUDIO_OUTPUT, e, version);
      }
    }
    long webSearch = 0;
    tokens = u.webSearchCalls();
    if (tokens != 0) {
      if (r.webSearch == CompiledRates.ABSENT) {
        return unpriced(UnpricedReason.NO_PRICE_FOR_WEB_SEARCH, e, version);
      }
      webSearch = line(sink, CostComponent.WEB_SEARCH, "web search calls", tokens, CostComponent.WEB_SEARCH,
          r.webSearch);
    }

    if (e.discountDen != 0) {
      long n = e.discountNum;
      long d = e.discountDen;
      input = discount(sink, CostComponent.INPUT, input, n, d);
      cacheRead = discount(sink, CostComponent.CACHE_READ, cacheRead, n, d);
      cacheWrite5m = discount(sink, CostComponent.CACHE_WRITE_5M, cacheWrite5m, n, d);
      cacheWrite1h = discount(sink, CostComponent.CACHE_WRITE_1H, cacheWrite1h, n, d);
      output = discount(sink, CostComponent.OUTPUT, output, n, d);
      reasoning = discount(sink, CostComponent.REASONING, reasoning, n, d);
      audioInput = discount(sink, CostComponent.AUDIO_INPUT, audioInput, n, d);
      audioOutput = discount(sink, CostComponent.AUDIO_OUTPUT, audioOutput, n, d);
      imageInput = discount(sink, CostComponent.IMAGE_INPUT, imageInput, n, d);
      webSearch = discount(sink, CostComponent.WEB_SEARCH, webSearch, n, d);
    }
    return CostBreakdown.priced(
        currency,
        e.entryId,
        version,
        r.label,
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

  private static long line(LineSink sink, CostComponent c, String what, long quantity, CostComponent rateOf,
      long rate) {
    long amount = Math.multiplyExact(quantity, rate);
    if (sink != null) {
      sink.line(c, what, quantity, rateOf, rate, amount);
    }
    return amount;
  }

  private static long mul(long quantity, long rate) {
    return quantity == 0 ? 0 : Math.multiplyExact(quantity, rate);
  }

  private static CostBreakdown unpriced(String reason, CompiledEntry e, String version) {
    return CostBreakdown.unpriced(reason, e.entryId, version);
  }

  private static long discount(LineSink sink, CostComponent c, long amount, long num, long den) {
    if (amount == 0) {
      return 0;
    }
    long after = scale(amount, num, den);
    if (sink != null) {
      sink.discount(c, amount, after);
    }
    return after;
  }

  /** {@code amount * num / den}, rounded half-even to the pico-unit; exact through BigDecimal when it must be. */
  static long scale(long amount, long num, long den) {
    long product;
    try {
      product = Math.multiplyExact(amount, num);
    } catch (ArithmeticException e) {
      return BigDecimal.valueOf(amount)
          .multiply(BigDecimal.valueOf(num))
          .divide(BigDecimal.valueOf(den), 0, RoundingMode.HALF_EVEN)
          .longValueExact();
    }
    long q = product / den;
    long rem = product % den;
    long twice = rem * 2;
    if (twice > den || (twice == den && (q & 1) == 1)) {
      q++;
    }
    return q;
  }
}
