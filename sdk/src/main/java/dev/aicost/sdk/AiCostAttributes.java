package dev.aicost.sdk;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The attribute names aicost writes: the OpenTelemetry GenAI semantic conventions where one exists, plus aicost's
 * cost and attribution attributes. This is the telemetry contract documented in {@code docs/telemetry.md}.
 */
public final class AiCostAttributes {

  private AiCostAttributes() {}

  // OpenTelemetry GenAI semantic conventions.
  public static final AttributeKey<String> GEN_AI_OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
  public static final AttributeKey<String> GEN_AI_PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
  public static final AttributeKey<String> GEN_AI_REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  public static final AttributeKey<String> GEN_AI_RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  public static final AttributeKey<String> GEN_AI_RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
  public static final AttributeKey<List<String>> GEN_AI_RESPONSE_FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  public static final AttributeKey<Boolean> GEN_AI_REQUEST_STREAM = AttributeKey.booleanKey("gen_ai.request.stream");
  public static final AttributeKey<Long> GEN_AI_USAGE_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  public static final AttributeKey<Long> GEN_AI_USAGE_OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  public static final AttributeKey<Long> GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  public static final AttributeKey<Long> GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
  public static final AttributeKey<Long> GEN_AI_USAGE_REASONING_OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens");
  public static final AttributeKey<String> GEN_AI_TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
  public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  // Cost, as proposed for the GenAI conventions (semantic-conventions-genai PR #443).
  public static final AttributeKey<Double> GEN_AI_USAGE_COST_AMOUNT = AttributeKey.doubleKey("gen_ai.usage.cost.amount");
  public static final AttributeKey<String> GEN_AI_USAGE_COST_CURRENCY =
      AttributeKey.stringKey("gen_ai.usage.cost.currency");
  public static final AttributeKey<String> GEN_AI_USAGE_COST_SOURCE = AttributeKey.stringKey("gen_ai.usage.cost.source");

  // aicost usage details that the conventions do not name.
  public static final AttributeKey<Long> USAGE_CACHE_WRITE_5M_TOKENS =
      AttributeKey.longKey("aicost.usage.cache_write_5m.input_tokens");
  public static final AttributeKey<Long> USAGE_CACHE_WRITE_1H_TOKENS =
      AttributeKey.longKey("aicost.usage.cache_write_1h.input_tokens");
  public static final AttributeKey<Long> USAGE_AUDIO_INPUT_TOKENS = AttributeKey.longKey("aicost.usage.audio.input_tokens");
  public static final AttributeKey<Long> USAGE_AUDIO_OUTPUT_TOKENS =
      AttributeKey.longKey("aicost.usage.audio.output_tokens");
  public static final AttributeKey<Long> USAGE_IMAGE_INPUT_TOKENS = AttributeKey.longKey("aicost.usage.image.input_tokens");
  public static final AttributeKey<Long> USAGE_WEB_SEARCH_CALLS = AttributeKey.longKey("aicost.usage.web_search.calls");
  public static final AttributeKey<Boolean> USAGE_AVAILABLE = AttributeKey.booleanKey("aicost.usage.available");
  public static final AttributeKey<String> USAGE_UNAVAILABLE_REASON =
      AttributeKey.stringKey("aicost.usage.unavailable_reason");

  // How the price was found.
  public static final AttributeKey<Boolean> PRICED = AttributeKey.booleanKey("aicost.priced");
  public static final AttributeKey<String> UNPRICED_REASON = AttributeKey.stringKey("aicost.unpriced_reason");
  public static final AttributeKey<String> PRICING_ENTRY = AttributeKey.stringKey("aicost.pricing.entry");
  public static final AttributeKey<String> PRICING_CATALOG_VERSION =
      AttributeKey.stringKey("aicost.pricing.catalog_version");
  public static final AttributeKey<String> PRICING_TIER = AttributeKey.stringKey("aicost.pricing.tier");
  public static final AttributeKey<String> SERVICE_TIER = AttributeKey.stringKey("aicost.service_tier");

  /** How the call ended when not by completion: {@code cancelled}, {@code stream_closed_early}, ... */
  public static final AttributeKey<String> END_REASON = AttributeKey.stringKey("aicost.end_reason");

  // Attribution.
  public static final AttributeKey<String> TEAM = AttributeKey.stringKey("aicost.team");
  public static final AttributeKey<String> FEATURE = AttributeKey.stringKey("aicost.feature");
  public static final AttributeKey<String> AGENT = AttributeKey.stringKey("aicost.agent");
  public static final AttributeKey<String> CUSTOMER = AttributeKey.stringKey("aicost.customer");
  public static final AttributeKey<String> EXPERIMENT = AttributeKey.stringKey("aicost.experiment");
  public static final AttributeKey<String> TASK = AttributeKey.stringKey("aicost.task");
  /** The service that owns spend no scope or default attributed: {@code service.name}. */
  public static final AttributeKey<String> OWNER = AttributeKey.stringKey("aicost.owner");
  public static final AttributeKey<String> KIND = AttributeKey.stringKey("aicost.kind");

  /** The {@code aicost.team} of spend that nothing attributed. */
  public static final String UNATTRIBUTED = "unattributed";

  // Tasks (unit economics).
  public static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("aicost.task.id");
  public static final AttributeKey<Long> TASK_CALLS = AttributeKey.longKey("aicost.task.calls");
  public static final AttributeKey<Long> TASK_PRICED_CALLS = AttributeKey.longKey("aicost.task.priced_calls");
  public static final AttributeKey<Long> TASK_UNPRICED_CALLS = AttributeKey.longKey("aicost.task.unpriced_calls");
  public static final AttributeKey<Long> TASK_FAILED_CALLS = AttributeKey.longKey("aicost.task.failed_calls");
  public static final AttributeKey<Long> TASK_INPUT_TOKENS = AttributeKey.longKey("aicost.task.usage.input_tokens");
  public static final AttributeKey<Long> TASK_OUTPUT_TOKENS = AttributeKey.longKey("aicost.task.usage.output_tokens");
  public static final AttributeKey<Double> TASK_COST_AMOUNT = AttributeKey.doubleKey("aicost.task.cost.amount");
  public static final AttributeKey<String> TASK_COST_CURRENCY = AttributeKey.stringKey("aicost.task.cost.currency");
  public static final AttributeKey<Boolean> TASK_COST_COMPLETE = AttributeKey.booleanKey("aicost.task.cost.complete");

  /** The baggage key of an inbound attribution value that was not trusted. */
  public static final AttributeKey<String> BAGGAGE_KEY = AttributeKey.stringKey("aicost.baggage.key");
  public static final AttributeKey<String> CURRENCY = AttributeKey.stringKey("aicost.currency");

  /** Prefix of custom attribution keys: {@code aicost.attr.<key>}. */
  public static final String CUSTOM_ATTRIBUTE_PREFIX = "aicost.attr.";

  /** Prefix of cost lines: {@code aicost.cost.<component>}, e.g. {@code aicost.cost.cache_read}. */
  public static final String COST_PREFIX = "aicost.cost.";
}
