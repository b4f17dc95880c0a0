package dev.aicost.exporters;

import dev.aicost.bootstrap.Attribution;
import dev.aicost.pricing.CostBreakdown;
import dev.aicost.pricing.Usage;
import dev.aicost.sdk.CostRecord;
import dev.aicost.sdk.CostRecordSink;
import dev.aicost.sdk.TaskRecord;
import java.math.BigDecimal;
import java.util.Map;
import java.io.PrintStream;

/**
 * Prints one human-readable line per call, for local development ({@code aicost.console.enabled=true}):
 *
 * <pre>[aicost] chat gpt-4o team=search feature=autocomplete in=1200 (cached 1024) out=80 cost=0.00124 USD</pre>
 */
public final class ConsoleCostPrinter implements CostRecordSink {

  private final PrintStream out;

  public ConsoleCostPrinter(PrintStream out) {
    this.out = out;
  }

  @Override
  public void accept(CostRecord r) {
    out.println(format(r));
  }

  @Override
  public void acceptTask(TaskRecord t) {
    out.println(format(t));
  }

  /** {@code [aicost] task answer-ticket team=support calls=3 cost=0.0123 USD (1.2 s)} */
  static String format(TaskRecord t) {
    StringBuilder sb = new StringBuilder("[aicost] task ").append(t.name());
    Attribution a = t.attribution();
    append(sb, "team", a.team());
    append(sb, "feature", a.feature());
    append(sb, "customer", a.customer());
    sb.append(" calls=").append(t.calls());
    if (t.costByCurrency().isEmpty()) {
      sb.append(" cost=0");
    } else {
      String sep = " cost=";
      for (Map.Entry<String, BigDecimal> e : t.costByCurrency().entrySet()) {
        sb.append(sep).append(CostBreakdown.format(e.getValue())).append(' ').append(e.getKey());
        sep = " + ";
      }
    }
    if (!t.isCostComplete()) {
      sb.append(" (").append(t.unpricedCalls()).append(" unpriced, not included)");
    }
    return sb.toString();
  }

  static String format(CostRecord r) {
    StringBuilder sb = new StringBuilder("[aicost] ").append(r.operation()).append(' ');
    sb.append(r.responseModel() != null ? r.responseModel() : r.requestModel());
    if (r.stream()) {
      sb.append(" (stream)");
    }
    Attribution a = r.attribution();
    append(sb, "team", a.team());
    append(sb, "feature", a.feature());
    append(sb, "agent", a.agent());
    append(sb, "customer", a.customer());
    append(sb, "experiment", a.experiment());
    Usage u = r.usage();
    if (u != null) {
      sb.append(" in=").append(u.input());
      if (u.cacheRead() > 0) {
        sb.append(" (cached ").append(u.cacheRead()).append(')');
      }
      sb.append(" out=").append(u.output());
      if (u.reasoning() > 0) {
        sb.append(" (reasoning ").append(u.reasoning()).append(')');
      }
    } else {
      sb.append(" usage=unavailable(").append(r.usageUnavailableReason()).append(')');
    }
    CostBreakdown c = r.cost();
    if (c.isPriced()) {
      sb.append(" cost=").append(CostBreakdown.format(c.total())).append(' ').append(c.currency());
      if (!"standard".equals(c.tier())) {
        sb.append(" tier=").append(c.tier());
      }
    } else {
      sb.append(" unpriced=").append(c.unpricedReason());
    }
    if (r.errorType() != null) {
      sb.append(" error=").append(r.errorType());
    }
    if (r.endReason() != null) {
      sb.append(" ended=").append(r.endReason());
    }
    return sb.toString();
  }

  private static void append(StringBuilder sb, String key, String value) {
    if (value != null) {
      sb.append(' ').append(key).append('=').append(value);
    }
  }
}
