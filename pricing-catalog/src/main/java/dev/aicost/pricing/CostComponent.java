package dev.aicost.pricing;

/** The billed dimensions of a call; each one is a line of a {@link CostBreakdown}. */
public enum CostComponent {
  INPUT("input"),
  CACHE_READ("cache_read"),
  CACHE_WRITE_5M("cache_write_5m"),
  CACHE_WRITE_1H("cache_write_1h"),
  OUTPUT("output"),
  REASONING("reasoning"),
  AUDIO_INPUT("audio_input"),
  AUDIO_OUTPUT("audio_output"),
  IMAGE_INPUT("image_input"),
  WEB_SEARCH("web_search");

  private final String id;

  CostComponent(String id) {
    this.id = id;
  }

  /** The snake_case name used in span attributes ({@code aicost.cost.<id>}), the ledger and the CLI. */
  public String id() {
    return id;
  }
}
