package dev.aicost.pricing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks that span entries: unique ids, aliases that name one entry only, discounts that select something. */
final class CatalogChecks {

  private CatalogChecks() {}

  static void checkEntries(Collection<ModelEntry> entries, Errors errors) {
    Map<String, ModelEntry> ids = new HashMap<>();
    for (ModelEntry e : entries) {
      ModelEntry prev = ids.putIfAbsent(key(e.provider(), e.id()), e);
      if (prev != null) {
        errors.add(at(e, "id", errors), "duplicate of " + ref(prev, errors));
      }
    }
    Map<String, ModelEntry> aliases = new HashMap<>();
    for (ModelEntry e : entries) {
      Set<String> own = new HashSet<>();
      List<String> list = e.aliases();
      for (int i = 0; i < list.size(); i++) {
        String a = list.get(i);
        String where = at(e, "aliases[" + i + ']', errors);
        if (a.equals(e.id())) {
          errors.add(where, "'" + a + "' is the entry's own id");
          continue;
        }
        if (!own.add(a)) {
          errors.add(where, "duplicate alias '" + a + "'");
          continue;
        }
        String k = key(e.provider(), a);
        ModelEntry byId = ids.get(k);
        if (byId != null) {
          errors.add(where, "'" + a + "' is already the id of " + ref(byId, errors));
          continue;
        }
        ModelEntry prev = aliases.putIfAbsent(k, e);
        if (prev != null) {
          errors.add(where, "'" + a + "' is already an alias of " + ref(prev, errors));
        }
      }
    }
  }

  /** Every discount must select at least one entry of the catalog it is applied to. */
  static void checkDiscounts(List<Discount> discounts, ModelIndex index, Errors errors) {
    for (Discount d : discounts) {
      if (d.model() != null) {
        ModelResolution r = index.resolve(d.provider(), d.model());
        if (!r.isResolved()) {
          List<String> close = index.closestIds(d.provider(), d.model(), 3);
          errors.add(
              d.path + ".model",
              "'" + d.model() + "' is not a model of provider " + d.provider() + " in this catalog"
                  + (close.isEmpty() ? "" : " (closest: " + String.join(", ", close) + ')'));
        }
      } else if (d.compiledPattern() != null) {
        boolean any = false;
        for (ModelEntry e : index.entries(d.provider())) {
          if (d.compiledPattern().matcher(e.id()).matches()) {
            any = true;
            break;
          }
        }
        if (!any) {
          errors.add(d.path + ".pattern", "matches no model id of provider " + d.provider() + " in this catalog");
        }
      } else if (index.entries(d.provider()).isEmpty()) {
        errors.add(d.path + ".provider", "no model of provider '" + d.provider() + "' in this catalog");
      }
    }
  }

  /** Every named deployment must serve a model of the catalog (resolved without deployments). */
  static void checkDeployments(List<Deployment> deployments, ModelIndex index, Errors errors) {
    for (Deployment d : deployments) {
      if (d.isDefault() || d.model() == null) {
        continue;
      }
      ModelResolution r = index.resolve(d.provider(), d.model());
      if (!r.isResolved()) {
        List<String> close = index.closestIds(d.provider(), d.model(), 3);
        errors.add(
            (d.origin.equals(errors.origin()) ? "" : d.origin + ' ') + d.path + ".model",
            "'" + d.model() + "' is not a model of provider " + d.provider() + " in this catalog"
                + (close.isEmpty() ? "" : " (closest: " + String.join(", ", close) + ')'));
      }
    }
  }

  /** The most specific discount selecting {@code entry}, or {@code null}. */
  static Discount discountFor(ModelEntry entry, List<Discount> discounts, ModelIndex index) {
    Discount best = null;
    for (Discount d : discounts) {
      if (!d.provider().equals(entry.provider())) {
        continue;
      }
      boolean selects;
      if (d.model() != null) {
        ModelResolution r = index.resolve(d.provider(), d.model());
        selects = r.isResolved() && r.entry() == entry;
      } else if (d.compiledPattern() != null) {
        selects = d.compiledPattern().matcher(entry.id()).matches();
      } else {
        selects = true;
      }
      if (selects && (best == null || d.specificity() < best.specificity())) {
        best = d;
      }
    }
    return best;
  }

  static String key(String provider, String id) {
    return provider + '\u0000' + id;
  }

  static String at(ModelEntry e, String field, Errors errors) {
    return prefix(e, errors) + e.path + '.' + field;
  }

  static String ref(ModelEntry e, Errors errors) {
    return prefix(e, errors) + e.path + " (" + e.entryId() + ')';
  }

  private static String prefix(ModelEntry e, Errors errors) {
    return e.origin.equals(errors.origin()) ? "" : e.origin + ' ';
  }

  static List<ModelEntry> copy(Collection<ModelEntry> c) {
    return new ArrayList<>(c);
  }
}
