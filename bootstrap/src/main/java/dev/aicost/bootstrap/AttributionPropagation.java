package dev.aicost.bootstrap;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How attribution crosses process boundaries in W3C Baggage, and which inbound values are believed.
 *
 * <p><b>Outbound</b>: when the application's OpenTelemetry injects baggage into an outgoing request, the fields of
 * the current aicost scope listed in {@link #outboundKeys} are added as {@code aicost.team}, {@code aicost.feature},
 * ..., and {@code aicost.source} names this service.
 *
 * <p><b>Inbound</b>: {@code aicost.*} baggage of the application's current context becomes attribution only for the
 * keys listed as trusted (none by default), and only when the trusted-sources list is empty or names the
 * {@code aicost.source} the request carries. Anything else is dropped and counted, so a caller cannot move its spend
 * onto another team. Baggage is not authenticated: trust only what your ingress controls.
 *
 * <p>Configured once by the agent (or the application) at start-up; read on every call.
 */
public final class AttributionPropagation {

  /** Prefix of aicost's baggage keys. */
  public static final String BAGGAGE_PREFIX = "aicost.";

  /** The baggage key naming the service that sent the attribution. */
  public static final String SOURCE_KEY = "aicost.source";

  /** Attribution fields, in baggage order. */
  static final String[] FIELDS = {"team", "feature", "agent", "customer", "experiment", "task"};

  private static volatile Config config = new Config(
      Collections.<String>emptySet(), Collections.<String>emptySet(), Collections.<String>emptySet(), null);

  private AttributionPropagation() {}

  /**
   * @param outboundKeys fields sent in outgoing baggage ({@code team}, ..., {@code attr.<key>} or {@code attr.*})
   * @param trustedInboundKeys fields believed from inbound baggage, same forms
   * @param trustedSources services whose {@code aicost.source} makes inbound values believable; empty = any
   * @param sourceName this service's name, sent as {@code aicost.source}; {@code null} for none
   */
  public static void configure(
      Collection<String> outboundKeys,
      Collection<String> trustedInboundKeys,
      Collection<String> trustedSources,
      String sourceName) {
    config = new Config(normalize(outboundKeys), normalize(trustedInboundKeys), copy(trustedSources), sourceName);
  }

  /** The fields sent in outgoing baggage. */
  public static Set<String> outboundKeys() {
    return config.outbound;
  }

  public static Set<String> trustedInboundKeys() {
    return config.trusted;
  }

  private static Set<String> normalize(Collection<String> keys) {
    Set<String> out = new LinkedHashSet<>();
    if (keys != null) {
      for (String k : keys) {
        if (k == null) {
          continue;
        }
        String t = k.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith(BAGGAGE_PREFIX)) {
          t = t.substring(BAGGAGE_PREFIX.length());
        }
        if (!t.isEmpty()) {
          out.add(t);
        }
      }
    }
    return Collections.unmodifiableSet(out);
  }

  private static Set<String> copy(Collection<String> values) {
    Set<String> out = new LinkedHashSet<>();
    if (values != null) {
      for (String v : values) {
        if (v != null && !v.trim().isEmpty()) {
          out.add(v.trim());
        }
      }
    }
    return Collections.unmodifiableSet(out);
  }

  /** The field a baggage key names ({@code aicost.team} to {@code team}), or {@code null} for other keys. */
  static String field(String baggageKey) {
    if (baggageKey == null || !baggageKey.startsWith(BAGGAGE_PREFIX) || baggageKey.equals(SOURCE_KEY)) {
      return null;
    }
    String f = baggageKey.substring(BAGGAGE_PREFIX.length());
    return f.isEmpty() ? null : f;
  }

  private static boolean listed(Set<String> keys, String field) {
    return keys.contains(field) || (field.startsWith("attr.") && keys.contains("attr.*"));
  }

  /** Receives the keys of inbound entries that were not trusted. */
  public interface UntrustedListener {
    void untrusted(String baggageKey);
  }

  /**
   * The attribution that trusted inbound baggage asks for; {@link Attribution#EMPTY} when none. Every
   * {@code aicost.*} entry that is not trusted is reported to {@code listener} and ignored.
   */
  public static Attribution inbound(Map<String, String> baggage, UntrustedListener listener) {
    if (baggage == null || baggage.isEmpty()) {
      return Attribution.EMPTY;
    }
    Config c = config;
    boolean sourceTrusted = c.sources.isEmpty() || c.sources.contains(baggage.get(SOURCE_KEY));
    Attribution.Builder b = null;
    for (Map.Entry<String, String> e : baggage.entrySet()) {
      String field = field(e.getKey());
      if (field == null) {
        continue;
      }
      if (sourceTrusted && listed(c.trusted, field)) {
        if (b == null) {
          b = Attribution.builder();
        }
        if (field.startsWith("attr.")) {
          b.attribute(field.substring(5), e.getValue());
        } else if (isField(field)) {
          b.set(field, e.getValue());
        }
      } else if (listener != null) {
        try {
          listener.untrusted(e.getKey());
        } catch (Throwable ignored) {
          // counting must not break recording
        }
      }
    }
    return b == null ? Attribution.EMPTY : b.build();
  }

  /**
   * Whether {@code key} is a form {@link #configure} accepts for its key lists: a field ({@code team}, ...,
   * {@code task}), {@code attr.<key>} or {@code attr.*}.
   */
  public static boolean isConfigurableKey(String key) {
    return isField(key) || (key.startsWith("attr.") && key.length() > "attr.".length());
  }

  private static boolean isField(String f) {
    for (String x : FIELDS) {
      if (x.equals(f)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The changes to make to an outgoing request's baggage: values to set, and {@code null} for {@code aicost.*}
   * entries to remove (inbound values this service does not trust are not passed on as if it vouched for them).
   *
   * @param existing the {@code aicost.*} entries already in the baggage being injected
   * @return changes by full key; empty when there is nothing to change
   */
  public static Map<String, String> outbound(Map<String, String> existing) {
    Config c = config;
    Attribution a = AttributionContext.current();
    Map<String, String> changes = null;
    if (existing != null) {
      for (Map.Entry<String, String> e : existing.entrySet()) {
        String field = field(e.getKey());
        if (field != null && !listed(c.trusted, field)) {
          changes = put(changes, e.getKey(), null);
        }
      }
    }
    if (!c.outbound.isEmpty() && !a.isEmpty()) {
      for (String f : FIELDS) {
        String v = value(a, f);
        if (v != null && c.outbound.contains(f)) {
          changes = put(changes, BAGGAGE_PREFIX + f, v);
        }
      }
      for (Map.Entry<String, String> e : a.custom().entrySet()) {
        if (listed(c.outbound, "attr." + e.getKey())) {
          changes = put(changes, BAGGAGE_PREFIX + "attr." + e.getKey(), e.getValue());
        }
      }
    }
    if (changes != null && c.sourceName != null) {
      boolean adds = false;
      for (String v : changes.values()) {
        adds |= v != null;
      }
      if (adds) {
        changes.put(SOURCE_KEY, c.sourceName);
      }
    }
    if (changes == null) {
      return Collections.emptyMap();
    }
    // Drop no-op changes so that the caller leaves the context alone when nothing differs.
    if (existing != null) {
      changes.entrySet().removeIf(e -> e.getValue() != null && e.getValue().equals(existing.get(e.getKey())));
    }
    return changes;
  }

  private static Map<String, String> put(Map<String, String> m, String k, String v) {
    Map<String, String> out = m == null ? new LinkedHashMap<String, String>() : m;
    out.put(k, v);
    return out;
  }

  static String value(Attribution a, String field) {
    switch (field) {
      case "team":
        return a.team();
      case "feature":
        return a.feature();
      case "agent":
        return a.agent();
      case "customer":
        return a.customer();
      case "experiment":
        return a.experiment();
      case "task":
        return a.task();
      default:
        return null;
    }
  }

  private static final class Config {
    final Set<String> outbound;
    final Set<String> trusted;
    final Set<String> sources;
    final String sourceName;

    Config(Set<String> outbound, Set<String> trusted, Set<String> sources, String sourceName) {
      this.outbound = outbound;
      this.trusted = trusted;
      this.sources = sources;
      this.sourceName = sourceName;
    }
  }
}
