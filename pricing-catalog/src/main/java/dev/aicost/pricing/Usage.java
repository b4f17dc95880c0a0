package dev.aicost.pricing;

/**
 * Token usage of one call in aicost's normalized convention, the same for every provider:
 *
 * <ul>
 *   <li>{@code input} is all input tokens, cached ones included; {@code cacheRead}, {@code cacheWrite5m},
 *       {@code cacheWrite1h}, {@code audioInput} and {@code imageInput} are parts of it.
 *   <li>{@code output} is all output tokens, reasoning included; {@code reasoning} and {@code audioOutput} are parts
 *       of it.
 *   <li>{@code webSearchCalls} counts billable per-request tool calls.
 * </ul>
 *
 * Immutable; build with {@link #builder()} or {@link #of(long, long)}.
 */
public final class Usage {

  public static final Usage ZERO = builder().build();

  private final long input;
  private final long output;
  private final long cacheRead;
  private final long cacheWrite5m;
  private final long cacheWrite1h;
  private final long reasoning;
  private final long audioInput;
  private final long audioOutput;
  private final long imageInput;
  private final long webSearchCalls;

  private Usage(Builder b) {
    this.input = b.input;
    this.output = b.output;
    this.cacheRead = b.cacheRead;
    this.cacheWrite5m = b.cacheWrite5m;
    this.cacheWrite1h = b.cacheWrite1h;
    this.reasoning = b.reasoning;
    this.audioInput = b.audioInput;
    this.audioOutput = b.audioOutput;
    this.imageInput = b.imageInput;
    this.webSearchCalls = b.webSearchCalls;
  }

  public static Usage of(long input, long output) {
    return builder().input(input).output(output).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public long input() {
    return input;
  }

  public long output() {
    return output;
  }

  public long cacheRead() {
    return cacheRead;
  }

  public long cacheWrite5m() {
    return cacheWrite5m;
  }

  public long cacheWrite1h() {
    return cacheWrite1h;
  }

  /** Cache writes of both durations. */
  public long cacheWrite() {
    return cacheWrite5m + cacheWrite1h;
  }

  public long reasoning() {
    return reasoning;
  }

  public long audioInput() {
    return audioInput;
  }

  public long audioOutput() {
    return audioOutput;
  }

  public long imageInput() {
    return imageInput;
  }

  public long webSearchCalls() {
    return webSearchCalls;
  }

  /** Input tokens billed at the plain input rate: input minus cache reads, cache writes, audio and image input. */
  public long uncachedTextInput() {
    return input - cacheRead - cacheWrite5m - cacheWrite1h - audioInput - imageInput;
  }

  /** Output tokens billed at the plain output rate when reasoning and audio are priced apart. */
  public long textOutput() {
    return output - reasoning - audioOutput;
  }

  public Builder toBuilder() {
    return new Builder()
        .input(input)
        .output(output)
        .cacheRead(cacheRead)
        .cacheWrite5m(cacheWrite5m)
        .cacheWrite1h(cacheWrite1h)
        .reasoning(reasoning)
        .audioInput(audioInput)
        .audioOutput(audioOutput)
        .imageInput(imageInput)
        .webSearchCalls(webSearchCalls);
  }

  /**
   * The sum of two usages, field by field.
   *
   * @throws ArithmeticException if a count overflows a long
   */
  public Usage plus(Usage other) {
    return new Builder()
        .input(Math.addExact(input, other.input))
        .output(Math.addExact(output, other.output))
        .cacheRead(Math.addExact(cacheRead, other.cacheRead))
        .cacheWrite5m(Math.addExact(cacheWrite5m, other.cacheWrite5m))
        .cacheWrite1h(Math.addExact(cacheWrite1h, other.cacheWrite1h))
        .reasoning(Math.addExact(reasoning, other.reasoning))
        .audioInput(Math.addExact(audioInput, other.audioInput))
        .audioOutput(Math.addExact(audioOutput, other.audioOutput))
        .imageInput(Math.addExact(imageInput, other.imageInput))
        .webSearchCalls(Math.addExact(webSearchCalls, other.webSearchCalls))
        .build();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Usage)) {
      return false;
    }
    Usage u = (Usage) o;
    return input == u.input
        && output == u.output
        && cacheRead == u.cacheRead
        && cacheWrite5m == u.cacheWrite5m
        && cacheWrite1h == u.cacheWrite1h
        && reasoning == u.reasoning
        && audioInput == u.audioInput
        && audioOutput == u.audioOutput
        && imageInput == u.imageInput
        && webSearchCalls == u.webSearchCalls;
  }

  @Override
  public int hashCode() {
    long h = input;
    h = 31 * h + output;
    h = 31 * h + cacheRead;
    h = 31 * h + cacheWrite5m;
    h = 31 * h + cacheWrite1h;
    h = 31 * h + reasoning;
    h = 31 * h + audioInput;
    h = 31 * h + audioOutput;
    h = 31 * h + imageInput;
    h = 31 * h + webSearchCalls;
    return Long.hashCode(h);
  }

  @Override
  public String toString() {
    return "Usage{input="
        + input
        + ", output="
        + output
        + ", cacheRead="
        + cacheRead
        + ", cacheWrite5m="
        + cacheWrite5m
        + ", cacheWrite1h="
        + cacheWrite1h
        + ", reasoning="
        + reasoning
        + ", audioInput="
        + audioInput
        + ", audioOutput="
        + audioOutput
        + ", imageInput="
        + imageInput
        + ", webSearchCalls="
        + webSearchCalls
        + '}';
  }

  /** Builds a {@link Usage}; {@link #build()} rejects negative counts and parts larger than their totals. */
  public static final class Builder {
    private long input;
    private long output;
    private long cacheRead;
    private long cacheWrite5m;
    private long cacheWrite1h;
    private long reasoning;
    private long audioInput;
    private long audioOutput;
    private long imageInput;
    private long webSearchCalls;

    private Builder() {}

    public Builder input(long v) {
      input = v;
      return this;
    }

    public Builder output(long v) {
      output = v;
      return this;
    }

    public Builder cacheRead(long v) {
      cacheRead = v;
      return this;
    }

    public Builder cacheWrite5m(long v) {
      cacheWrite5m = v;
      return this;
    }

    public Builder cacheWrite1h(long v) {
      cacheWrite1h = v;
      return this;
    }

    public Builder reasoning(long v) {
      reasoning = v;
      return this;
    }

    public Builder audioInput(long v) {
      audioInput = v;
      return this;
    }

    public Builder audioOutput(long v) {
      audioOutput = v;
      return this;
    }

    public Builder imageInput(long v) {
      imageInput = v;
      return this;
    }

    public Builder webSearchCalls(long v) {
      webSearchCalls = v;
      return this;
    }

    public Usage build() {
      requireNonNegative("input", input);
      requireNonNegative("output", output);
      requireNonNegative("cacheRead", cacheRead);
      requireNonNegative("cacheWrite5m", cacheWrite5m);
      requireNonNegative("cacheWrite1h", cacheWrite1h);
      requireNonNegative("reasoning", reasoning);
      requireNonNegative("audioInput", audioInput);
      requireNonNegative("audioOutput", audioOutput);
      requireNonNegative("imageInput", imageInput);
      requireNonNegative("webSearchCalls", webSearchCalls);
      // Parts are summed exactly: a wrapped sum would let inconsistent counts through.
      long inputParts = sum(sum(sum(sum(cacheRead, cacheWrite5m), cacheWrite1h), audioInput), imageInput);
      if (inputParts < 0 || inputParts > input) {
        throw new IllegalArgumentException(
            "input ("
                + input
                + ") must include cacheRead + cacheWrite5m + cacheWrite1h + audioInput + imageInput ("
                + (inputParts < 0 ? "more than " + Long.MAX_VALUE : String.valueOf(inputParts))
                + "): counts follow the normalized convention, cached tokens are part of input");
      }
      long outputParts = sum(reasoning, audioOutput);
      if (outputParts < 0 || outputParts > output) {
        throw new IllegalArgumentException(
            "output ("
                + output
                + ") must include reasoning + audioOutput ("
                + (outputParts < 0 ? "more than " + Long.MAX_VALUE : String.valueOf(outputParts))
                + "): reasoning tokens are part of output");
      }
      return new Usage(this);
    }

    /** Sum of two non-negative counts, or -1 when either is -1 or the sum overflows a long. */
    private static long sum(long a, long b) {
      if (a < 0 || b < 0) {
        return -1;
      }
      long total = a + b;
      return total < 0 ? -1 : total;
    }

    private static void requireNonNegative(String name, long v) {
      if (v < 0) {
        throw new IllegalArgumentException(name + " must be >= 0, was " + v);
      }
    }
  }
}
