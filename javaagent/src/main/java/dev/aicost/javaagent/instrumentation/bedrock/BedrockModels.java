package dev.aicost.javaagent.instrumentation.bedrock;

import java.util.Locale;

/**
 * What a Bedrock {@code modelId} names. The id may be a foundation model id ({@code anthropic.claude-3-haiku-…}), a
 * cross-region inference profile ({@code us.anthropic.claude-…}, {@code global.…}), or an ARN of either
 * ({@code arn:aws:bedrock:us-east-1::foundation-model/ID}, {@code arn:aws:bedrock:REGION:ACCOUNT:inference-profile/ID}).
 * ARNs of resources whose model cannot be known offline (application inference profiles, provisioned throughput,
 * custom and imported models, prompts, prompt routers, SageMaker endpoints) are kept whole.
 */
final class BedrockModels {

  static final String FAMILY_ANTHROPIC = "anthropic";
  static final String FAMILY_NOVA = "nova";
  static final String FAMILY_TITAN = "titan";
  static final String FAMILY_LLAMA = "llama";
  static final String FAMILY_MISTRAL = "mistral";
  static final String FAMILY_COHERE = "cohere";
  static final String FAMILY_OTHER = "other";

  private BedrockModels() {}

  /**
   * The model as aicost reports and prices it ({@code gen_ai.request.model}): the id inside a foundation-model or
   * inference-profile ARN, otherwise the id as given. A cross-region prefix is kept: it selects the profile's
   * price (global and geographic profiles can be priced differently).
   */
  static String requestModel(String modelId) {
    if (modelId == null) {
      return null;
    }
    if (modelId.startsWith("arn:")) {
      String resource = arnResource(modelId);
      if (resource != null) {
        if (resource.startsWith("foundation-model/")) {
          return resource.substring("foundation-model/".length());
        }
        if (resource.startsWith("inference-profile/")) {
          return resource.substring("inference-profile/".length());
        }
      }
    }
    return modelId;
  }

  /** The resource part of an ARN ({@code arn:partition:service:region:account:resource}), or {@code null}. */
  private static String arnResource(String arn) {
    int colons = 0;
    for (int i = 0; i < arn.length(); i++) {
      if (arn.charAt(i) == ':' && ++colons == 5) {
        return arn.substring(i + 1);
      }
    }
    return null;
  }

  /** The foundation model behind a request model: the cross-region inference profile prefix removed. */
  static String baseModel(String requestModel) {
    if (requestModel == null) {
      return null;
    }
    int dot = requestModel.indexOf('.');
    if (dot > 0 && isGeoPrefix(requestModel.substring(0, dot)) && requestModel.indexOf('.', dot + 1) > 0) {
      return requestModel.substring(dot + 1);
    }
    return requestModel;
  }

  /** Prefixes of system-defined cross-region inference profiles. */
  static boolean isGeoPrefix(String prefix) {
    switch (prefix) {
      case "us":
      case "us-gov":
      case "eu":
      case "apac":
      case "jp":
      case "au":
      case "ca":
      case "uk":
      case "global":
        return true;
      default:
        return false;
    }
  }

  /** The model family whose native InvokeModel format applies. */
  static String family(String requestModel) {
    String m = baseModel(requestModel);
    if (m == null) {
      return FAMILY_OTHER;
    }
    m = m.toLowerCase(Locale.ROOT);
    if (m.startsWith("anthropic.")) {
      return FAMILY_ANTHROPIC;
    }
    if (m.startsWith("amazon.nova")) {
      return FAMILY_NOVA;
    }
    if (m.startsWith("amazon.titan")) {
      return FAMILY_TITAN;
    }
    if (m.startsWith("meta.")) {
      return FAMILY_LLAMA;
    }
    if (m.startsWith("mistral.")) {
      return FAMILY_MISTRAL;
    }
    if (m.startsWith("cohere.")) {
      return FAMILY_COHERE;
    }
    return FAMILY_OTHER;
  }

  /** {@code embeddings} for embedding models (Titan, Cohere and Nova embeddings), else {@code chat}. */
  static String operation(String requestModel) {
    String m = baseModel(requestModel);
    if (m != null) {
      String lower = m.toLowerCase(Locale.ROOT);
      if (lower.startsWith("amazon.titan-embed") || lower.startsWith("cohere.embed")
          || (lower.startsWith("amazon.nova") && lower.contains("embed"))) {
        return "embeddings";
      }
    }
    return "chat";
  }
}
