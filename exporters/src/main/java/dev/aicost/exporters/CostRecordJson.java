package dev.aicost.exporters;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.aicost.bootstrap.Attribution;
import dev.aicost.pricing.CostBreakdown;
import dev.aicost.pricing.CostComponent;
import dev.aicost.pricing.Usage;
import dev.aicost.sdk.CostRecord;
import dev.aicost.sdk.TaskRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Writes a {@link CostRecord} as one ledger line. The field names are a public format (see
 * {@code docs/ledger.md}); add fields, never rename them.
 */
final class CostRecordJson {

  private static final CostComponent[] COMPONENTS = CostComponent.values();

  private CostRecordJson() {}

  static void write(JsonGenerator g, CostRecord r, LedgerFormat f) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "call");
    g.writeFieldName("timestamp");
    f.writeInstant(g, r.timestamp());
    writeNullable(g, "trace_id", r.traceId());
    writeNullable(g, "span_id", r.spanId());
    g.writeStringField("kind", r.kind());
    g.writeStringField("provider", r.provider());
    g.writeStringField("operation", r.operation());
    writeNullable(g, "request_model", r.requestModel());
    writeNullable(g, "response_model", r.responseModel());
    writeNullable(g, "response_id", r.responseId());
    g.writeBooleanField("stream", r.stream());
    writeNullable(g, "service_tier", r.serviceTier());
    writeNullable(g, "server_address", r.serverAddress());
    g.writeFieldName("duration_ms");
    f.writeDurationMillis(g, r.durationNanos());
    writeNullable(g, "error_type", r.errorType());
    if (r.endReason() != null) {
      g.writeStringField("end_reason", r.endReason());
    }

    Usage u = r.usage();
    if (u == null) {
      g.writeNullField("usage");
      writeNullable(g, "usage_unavailable_reason", r.usageUnavailableReason());
    } else {
      g.writeObjectFieldStart("usage");
      g.writeNumberField("input_tokens", u.input());
      g.writeNumberField("output_tokens", u.output());
      g.writeNumberField("cache_read_tokens", u.cacheRead());
      g.writeNumberField("cache_write_5m_tokens", u.cacheWrite5m());
      g.writeNumberField("cache_write_1h_tokens", u.cacheWrite1h());
      g.writeNumberField("reasoning_tokens", u.reasoning());
      g.writeNumberField("audio_input_tokens", u.audioInput());
      g.writeNumberField("audio_output_tokens", u.audioOutput());
      g.writeNumberField("image_input_tokens", u.imageInput());
      g.writeNumberField("web_search_calls", u.webSearchCalls());
      g.writeEndObject();
    }

    CostBreakdown c = r.cost();
    if (c.isPriced()) {
      g.writeObjectFieldStart("cost");
      g.writeFieldName("amount");
      f.writePicos(g, c.totalPicos());
      g.writeStringField("currency", c.currency());
      g.writeObjectFieldStart("breakdown");
      // The non-zero lines in CostComponent order, as CostBreakdown.lines() lists them, without building that map.
      for (CostComponent component : COMPONENTS) {
        long picos = c.amountPicos(component);
        if (picos != 0) {
          g.writeFieldName(component.id());
          f.writePicos(g, picos);
        }
      }
      g.writeEndObject();
      g.writeEndObject();
    } else {
      g.writeNullField("cost");
    }
    g.writeBooleanField("priced", c.isPriced());
    writeNullable(g, "unpriced_reason", c.unpricedReason());
    writeNullable(g, "pricing_entry", c.entryId());
    writeNullable(g, "pricing_tier", c.tier());
    writeNullable(g, "catalog_version", c.catalogVersion());

    writeAttribution(g, r.attribution(), r.owner(), r.taskId());
    g.writeEndObject();
  }

  /** A {@code task} record: one ended unit of work and the exact sum of its calls. */
  static void write(JsonGenerator g, TaskRecord t, LedgerFormat f) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "task");
    g.writeStringField("timestamp", f.instant(t.startTime()));
    writeNullable(g, "end_timestamp", t.endTime() == null ? null : f.instant(t.endTime()));
    g.writeStringField("task_id", t.taskId());
    g.writeStringField("task", t.name());
    writeNullable(g, "trace_id", t.traceId());
    writeNullable(g, "span_id", t.spanId());
    g.writeFieldName("duration_ms");
    g.writeNumber(f.durationMillis(t.durationNanos()));
    g.writeNumberField("calls", t.calls());
    g.writeNumberField("priced_calls", t.pricedCalls());
    g.writeNumberField("unpriced_calls", t.unpricedCalls());
    g.writeNumberField("failed_calls", t.failedCalls());
    g.writeObjectFieldStart("usage");
    g.writeNumberField("input_tokens", t.inputTokens());
    g.writeNumberField("output_tokens", t.outputTokens());
    g.writeEndObject();
    Map<String, BigDecimal> costs = t.costByCurrency();
    if (costs.size() <= 1) {
      g.writeObjectFieldStart("cost");
      if (costs.isEmpty()) {
        g.writeStringField("amount", "0");
        g.writeStringField("currency", TaskRecord.ZERO_COST_CURRENCY);
      } else {
        Map.Entry<String, BigDecimal> only = costs.entrySet().iterator().next();
        g.writeStringField("amount", CostBreakdown.format(only.getValue()));
        g.writeStringField("currency", only.getKey());
      }
      g.writeEndObject();
    } else {
      g.writeNullField("cost");
      g.writeObjectFieldStart("costs");
      for (Map.Entry<String, BigDecimal> e : costs.entrySet()) {
        g.writeStringField(e.getKey(), CostBreakdown.format(e.getValue()));
      }
      g.writeEndObject();
    }
    g.writeBooleanField("cost_complete", t.isCostComplete());
    writeAttribution(g, t.attribution(), t.owner(), null);
    g.writeEndObject();
  }

  private static void writeAttribution(JsonGenerator g, Attribution a, String owner, String taskId)
      throws IOException {
    g.writeObjectFieldStart("attribution");
    writeNullable(g, "team", a.team());
    writeNullable(g, "feature", a.feature());
    writeNullable(g, "agent", a.agent());
    writeNullable(g, "customer", a.customer());
    writeNullable(g, "experiment", a.experiment());
    writeNullable(g, "task", a.task());
    if (taskId != null) {
      g.writeStringField("task_id", taskId);
    }
    if (owner != null) {
      g.writeStringField("owner", owner);
    }
    if (!a.custom().isEmpty()) {
      g.writeObjectFieldStart("attributes");
      for (Map.Entry<String, String> e : a.custom().entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void writeNullable(JsonGenerator g, String name, String value) throws IOException {
    if (value == null) {
      g.writeNullField(name);
    } else {
      g.writeStringField(name, value);
    }
  }
}
