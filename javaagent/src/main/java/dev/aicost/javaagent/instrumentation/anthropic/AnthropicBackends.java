package dev.aicost.javaagent.instrumentation.anthropic;

import com.anthropic.backends.Backend;
import com.anthropic.core.ClientOptions;
import dev.aicost.bootstrap.AiCallStart;
import dev.aicost.javaagent.instrumentation.common.ClientEndpoint;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * Which cloud bills a call made with anthropic-java: Anthropic itself, or Amazon Bedrock / Google Vertex AI through
 * the SDK's {@code BedrockBackend} / {@code VertexBackend}. The backend is read from the client rather than guessed
 * from the host, so private endpoints, proxies and test servers are attributed correctly. Newer SDKs keep it in
 * {@code ClientOptions.backend}; older ones in the OkHttp client, behind the SDK's wrappers
 * ({@code ClientOptions.originalHttpClient[.httpClient...].backend}).
 * Neither field is public: they are read reflectively and any failure falls back to the host name.
 */
final class AnthropicBackends {

  static final String ANTHROPIC = "anthropic";
  static final String BEDROCK = "aws.bedrock";
  static final String VERTEX = "gcp.vertex_ai";

  private AnthropicBackends() {}

  private static final ClassValue<Field> BACKEND = new FieldLookup("backend");
  private static final ClassValue<Field> ORIGINAL_HTTP_CLIENT = new FieldLookup("originalHttpClient");
  private static final ClassValue<Field> HTTP_CLIENT = new FieldLookup("httpClient");
  /** How many HTTP client wrappers (closing, retrying, ...) are looked through to reach the OkHttp client. */
  private static final int MAX_WRAPPERS = 4;

  /** The endpoint of the client last seen: derived once per client (reflection, URL parsing), not per call. */
  private static volatile ClientEndpoint lastEndpoint;

  /** A call about to be made with these client options: provider, region and server filled in. */
  static AiCallStart start(Object clientOptions, String operation) {
    ClientEndpoint e = lastEndpoint;
    if (e == null || !e.isFor(clientOptions)) {
      Object backend = backend(clientOptions);
      e =
          ClientEndpoint.of(
              clientOptions, provider(backend, clientOptions), region(backend), baseUrl(clientOptions, backend));
      lastEndpoint = e;
    }
    return e.start(operation);
  }

  static String provider(Object backend, Object clientOptions) {
    if (backend != null) {
      String name = backend.getClass().getName();
      if (name.startsWith("com.anthropic.bedrock.")) {
        return BEDROCK;
      }
      if (name.startsWith("com.anthropic.vertex.")) {
        return VERTEX;
      }
      if (name.equals("com.anthropic.backends.AnthropicBackend")) {
        return ANTHROPIC;
      }
    }
    String host = ClientEndpoint.host(baseUrl(clientOptions, backend));
    if (host != null) {
      String h = host.toLowerCase(Locale.ROOT);
      if (h.startsWith("bedrock-runtime.") && h.contains(".amazonaws.com")) {
        return BEDROCK;
      }
      if (h.endsWith("aiplatform.googleapis.com")) {
        return VERTEX;
      }
    }
    return ANTHROPIC;
  }

  static Object backend(Object clientOptions) {
    Object backend = read(BACKEND, clientOptions);
    Object http = read(ORIGINAL_HTTP_CLIENT, clientOptions);
    for (int i = 0; backend == null && http != null && i < MAX_WRAPPERS; i++) {
      backend = read(BACKEND, http);
      http = read(HTTP_CLIENT, http); // PhantomReachableClosingHttpClient.httpClient, ...
    }
    return backend instanceof Backend ? backend : null;
  }

  /** The region of a Bedrock backend ({@code Region.id()}) or a Vertex backend ({@code region()}), else null. */
  static String region(Object backend) {
    if (backend == null) {
      return null;
    }
    try {
      Method m = backend.getClass().getMethod("region");
      Object region = m.invoke(backend);
      if (region instanceof java.util.Optional) {
        region = ((java.util.Optional<?>) region).orElse(null);
      }
      if (region == null) {
        return null;
      }
      if (region instanceof String) {
        return (String) region;
      }
      Object id = region.getClass().getMethod("id").invoke(region);
      return id instanceof String ? (String) id : null;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static String baseUrl(Object clientOptions, Object backend) {
    try {
      String url = ((ClientOptions) clientOptions).baseUrl();
      if (url != null) {
        return url;
      }
    } catch (RuntimeException | LinkageError e) {
      // fall through to the backend's
    }
    try {
      return backend == null ? null : ((Backend) backend).baseUrl();
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static Object read(ClassValue<Field> lookup, Object target) {
    if (target == null) {
      return null;
    }
    Field f = lookup.get(target.getClass());
    if (f == null) {
      return null;
    }
    try {
      return f.get(target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** The accessible field of that name in a class or its superclasses, or null; looked up once per class. */
  static final class FieldLookup extends ClassValue<Field> {
    private final String name;

    FieldLookup(String name) {
      this.name = name;
    }

    @Override
    protected Field computeValue(Class<?> type) {
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        try {
          Field f = c.getDeclaredField(name);
          f.setAccessible(true);
          return f;
        } catch (NoSuchFieldException e) {
          // look in the superclass
        } catch (RuntimeException e) {
          return null;
        }
      }
      return null;
    }
  }
}
