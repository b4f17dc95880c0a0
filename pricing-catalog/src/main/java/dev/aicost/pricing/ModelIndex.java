package dev.aicost.pricing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the catalog entry for a (provider, model) pair. Tried in order: exact id, alias, dated snapshot or
 * {@code @version} stripped, {@code provider/} prefix stripped, resource path stripped ({@code models/...},
 * Bedrock ARNs), inference-profile prefix stripped ({@code us.}, {@code global.}, ...; each time the whole chain
 * again), {@code ft:BASE:...} (BASE resolved by the steps before), patterns. Names are compared lower-cased. This is
 * the slow path: {@link CostCalculator} caches results.
 */
final class ModelIndex {

  /** {@code -YYYY-MM-DD}, {@code -YYYYMMDD} (Anthropic, Bedrock) and {@code @YYYYMMDD} (Vertex AI). */
  private static final Pattern DATED = Pattern.compile("(.+?)(?:-\\d{4}-\\d{2}-\\d{2}|-\\d{8}|@\\d{8})");

  /** A Vertex AI version other than a date: {@code claude-opus-4-6@default}, {@code gemini-2.0-flash@001}. */
  private static final Pattern VERSIONED = Pattern.compile("([^@]+)@[a-z0-9][a-z0-9._-]*");

  /**
   * A Bedrock cross-region inference profile: {@code us.}, {@code eu.}, {@code apac.}, {@code jp.}, {@code au.},
   * {@code ca.}, {@code us-gov.} (geographic) or {@code global.} in front of a model id.
   */
  private static final Pattern PROFILE = Pattern.compile("(us|eu|apac|jp|au|ca|us-gov|global)\\.(.+)");

  /** The region a {@code global.} inference profile is priced in. */
  static final String GLOBAL_REGION = "global";

  private static final class ProviderIndex {
    final Map<String, ModelEntry> byId = new HashMap<>();
    final Map<String, ModelEntry> byAlias = new HashMap<>();
    final List<Pattern> patterns = new ArrayList<>();
    final List<ModelEntry> patternOwners = new ArrayList<>();
    final List<ModelEntry> entries = new ArrayList<>();
    final Map<String, Deployment> deployments = new HashMap<>();
    Deployment defaultDeployment;
  }

  /** A match: the entry, the steps taken, and a sentence for people. */
  private static final class Match {
    final ModelEntry entry;
    final List<ResolutionMethod> steps;
    final String description;
    /** A region the name implies ({@code global} for a {@code global.} profile), or {@code null}. */
    final String region;
    /** The deployment the name is, or {@code null}. */
    final Deployment deployment;

    Match(ModelEntry entry, List<ResolutionMethod> steps, String description) {
      this(entry, steps, description, null, null);
    }

    Match(ModelEntry entry, List<ResolutionMethod> steps, String description, String region, Deployment deployment) {
      this.entry = entry;
      this.steps = steps;
      this.description = description;
      this.region = region;
      this.deployment = deployment;
    }

    Match prepend(ResolutionMethod step, String prefix) {
      return prepend(step, prefix, region);
    }

    Match prepend(ResolutionMethod step, String prefix, String impliedRegion) {
      List<ResolutionMethod> s = new ArrayList<>(steps.size() + 1);
      s.add(step);
      s.addAll(steps);
      return new Match(entry, s, prefix + description, impliedRegion != null ? impliedRegion : region, deployment);
    }

    Match deployedAs(Deployment d) {
      List<ResolutionMethod> s = new ArrayList<>(steps.size() + 1);
      s.add(ResolutionMethod.DEPLOYMENT);
      s.addAll(steps);
      return new Match(entry, s, "deployment '" + d.name() + "' serves '" + d.model() + "'"
          + (d.region() == null ? "" : " in region '" + d.region() + "'")
          + (d.billing() == Deployment.Billing.PROVISIONED ? " (provisioned: unpriced)" : "") + ": " + description,
          d.region() != null ? d.region() : region, d);
    }
  }

  private final Map<String, ProviderIndex> providers = new HashMap<>();
  private final Map<ModelEntry, CompiledEntry> compiled;

  ModelIndex(Collection<ModelEntry> entries) {
    this(entries, Collections.<ModelEntry, CompiledEntry>emptyMap(), Collections.<Deployment>emptyList());
  }

  ModelIndex(Collection<ModelEntry> entries, Map<ModelEntry, CompiledEntry> compiled, List<Deployment> deployments) {
    this.compiled = new IdentityHashMap<>(compiled);
    for (ModelEntry e : entries) {
      ProviderIndex p = providers.computeIfAbsent(e.provider(), k -> new ProviderIndex());
      p.entries.add(e);
      p.byId.put(e.id(), e);
      for (String a : e.aliases()) {
        p.byAlias.put(a, e);
      }
      for (Pattern pattern : e.compiledPatterns()) {
        p.patterns.add(pattern);
        p.patternOwners.add(e);
      }
    }
    for (Deployment d : deployments) {
      ProviderIndex p = providers.computeIfAbsent(d.provider(), k -> new ProviderIndex());
      if (d.isDefault()) {
        p.defaultDeployment = d;
      } else {
        p.deployments.put(d.name(), d);
      }
    }
  }

  List<ModelEntry> entries(String provider) {
    ProviderIndex p = providers.get(provider);
    return p == null ? Collections.<ModelEntry>emptyList() : Collections.unmodifiableList(p.entries);
  }

  ModelResolution resolve(String provider, String model) {
    if (provider == null || model == null || model.trim().isEmpty()) {
      return unresolved(provider, model, "no model name given");
    }
    String p = provider.trim().toLowerCase(Locale.ROOT);
    String m = model.trim().toLowerCase(Locale.ROOT);
    ProviderIndex pi = providers.get(p);
    if (pi == null) {
      return unresolved(provider, model, "no model of provider '" + p + "' in the catalog");
    }
    Match match = match(pi, p, m, true, true);
    if (match == null) {
      return unresolved(provider, model, "no entry of provider '" + p + "' matches '" + m + "'");
    }
    Deployment deployment = match.deployment;
    String region = match.region;
    String description = match.description;
    if (deployment == null && pi.defaultDeployment != null) {
      deployment = pi.defaultDeployment;
      if (region == null) {
        region = deployment.region();
      }
      description += "; default deployment '*'"
          + (deployment.region() == null ? "" : " (region '" + deployment.region() + "')")
          + (deployment.billing() == Deployment.Billing.PROVISIONED ? " (provisioned: unpriced)" : "");
    }
    return new ModelResolution(
        provider, model, match.entry, match.steps, description, compiled.get(match.entry), region, deployment);
  }

  private static ModelResolution unresolved(String provider, String model, String why) {
    return new ModelResolution(
        provider, model, null, Collections.singletonList(ResolutionMethod.UNRESOLVED), why, null, null, null);
  }

  private Match match(ProviderIndex pi, String provider, String m, boolean allowPrefix, boolean allowFineTune) {
    Deployment d = pi.deployments.get(m);
    if (d != null) {
      // A deployment's model is resolved without deployments (a deployment never names another one).
      Match inner = matchModel(pi, provider, d.model(), true, true);
      if (inner != null) {
        return inner.deployedAs(d);
      }
    }
    return matchModel(pi, provider, m, allowPrefix, allowFineTune);
  }

  private Match matchModel(ProviderIndex pi, String provider, String m, boolean allowPrefix, boolean allowFineTune) {
    Match direct = idOrAlias(pi, m);
    if (direct != null) {
      return direct;
    }
    Matcher dated = DATED.matcher(m);
    if (dated.matches()) {
      String base = dated.group(1);
      Match inner = idOrAlias(pi, base);
      if (inner != null) {
        return inner.prepend(ResolutionMethod.DATED_SNAPSHOT, "dated snapshot of '" + base + "': ");
      }
    }
    Matcher versioned = VERSIONED.matcher(m);
    if (versioned.matches()) {
      String base = versioned.group(1);
      Match inner = idOrAlias(pi, base);
      if (inner != null) {
        return inner.prepend(
            ResolutionMethod.VERSION_SUFFIX, "version '" + m.substring(base.length()) + "' stripped: ");
      }
    }
    String prefix = provider + '/';
    if (allowPrefix && m.startsWith(prefix) && m.length() > prefix.length()) {
      Match inner = match(pi, provider, m.substring(prefix.length()), false, allowFineTune);
      if (inner != null) {
        return inner.prepend(ResolutionMethod.PROVIDER_PREFIX, "prefix '" + prefix + "' stripped, then ");
      }
    }
    int slash = m.lastIndexOf('/');
    if (slash >= 0 && slash < m.length() - 1 && !m.startsWith("ft:")) {
      // models/gemini-2.5-flash, publishers/google/models/..., arn:aws:bedrock:...:inference-profile/us.anthropic...
      Match inner = match(pi, provider, m.substring(slash + 1), false, allowFineTune);
      if (inner != null) {
        return inner.prepend(
            ResolutionMethod.RESOURCE_PATH, "path '" + m.substring(0, slash + 1) + "' stripped, then ");
      }
    }
    Matcher profile = PROFILE.matcher(m);
    if (profile.matches()) {
      String geo = profile.group(1);
      Match inner = match(pi, provider, profile.group(2), false, false);
      if (inner != null) {
        boolean global = GLOBAL_REGION.equals(geo);
        return inner.prepend(
            ResolutionMethod.INFERENCE_PROFILE,
            "inference profile '" + geo + ".' stripped"
                + (global ? " (priced in region 'global')" : " (priced in the calling region)") + ", then ",
            global ? GLOBAL_REGION : null);
      }
    }
    if (allowFineTune && m.startsWith("ft:") && m.length() > 3) {
      int end = m.indexOf(':', 3);
      String base = end < 0 ? m.substring(3) : m.substring(3, end);
      if (!base.isEmpty()) {
        Match inner = match(pi, provider, base, false, false);
        if (inner != null) {
          return inner.prepend(ResolutionMethod.FINE_TUNE, "fine-tune of '" + base + "', at its fine-tune rates; base: ");
        }
      }
      // A fine-tuned model of an unknown base is unknown: never fall through to a pattern that prices it as a base.
      return null;
    }
    for (int i = 0; i < pi.patterns.size(); i++) {
      if (pi.patterns.get(i).matcher(m).matches()) {
        ModelEntry e = pi.patternOwners.get(i);
        return new Match(
            e,
            Collections.singletonList(ResolutionMethod.PATTERN),
            "pattern '" + pi.patterns.get(i).pattern() + "' of " + e.entryId());
      }
    }
    return null;
  }

  private static Match idOrAlias(ProviderIndex pi, String m) {
    ModelEntry e = pi.byId.get(m);
    if (e != null) {
      return new Match(e, Collections.singletonList(ResolutionMethod.EXACT_ID), "exact id");
    }
    e = pi.byAlias.get(m);
    if (e != null) {
      return new Match(e, Collections.singletonList(ResolutionMethod.ALIAS), "alias of " + e.entryId());
    }
    return null;
  }

  /**
   * Known ids and aliases closest to {@code model} by edit distance (ties: longer common prefix, then alphabetical),
   * searched within the provider, or across all providers when the provider is unknown.
   */
  List<String> closestIds(String provider, String model, int n) {
    if (model == null || n <= 0) {
      return Collections.emptyList();
    }
    String p = provider == null ? "" : provider.trim().toLowerCase(Locale.ROOT);
    String m = model.trim().toLowerCase(Locale.ROOT);
    if (!p.isEmpty() && m.startsWith(p + '/')) {
      m = m.substring(p.length() + 1);
    }
    if (m.startsWith("ft:")) {
      int end = m.indexOf(':', 3);
      m = end < 0 ? m.substring(3) : m.substring(3, end);
    }
    Collection<ProviderIndex> scope =
        providers.containsKey(p) ? Collections.singletonList(providers.get(p)) : providers.values();
    Set<String> names = new LinkedHashSet<>();
    for (ProviderIndex pi : scope) {
      names.addAll(pi.byId.keySet());
      names.addAll(pi.byAlias.keySet());
    }
    String query = m;
    String[] sorted = names.toArray(new String[0]);
    Map<String, Integer> d = new HashMap<>();
    for (String name : sorted) {
      d.put(name, Levenshtein.distance(query, name));
    }
    Arrays.sort(
        sorted,
        (a, b) -> {
          int c = Integer.compare(d.get(a), d.get(b));
          if (c != 0) {
            return c;
          }
          c = Integer.compare(commonPrefix(query, b), commonPrefix(query, a));
          return c != 0 ? c : a.compareTo(b);
        });
    List<String> out = new ArrayList<>(Math.min(n, sorted.length));
    for (int i = 0; i < sorted.length && out.size() < n; i++) {
      out.add(sorted[i]);
    }
    return out;
  }

  private static int commonPrefix(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i;
  }
}
