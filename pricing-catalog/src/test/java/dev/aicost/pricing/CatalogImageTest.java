package dev.aicost.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The build-time image of the bundled catalog holds exactly what its JSON gives, and a stale image is never used. */
class CatalogImageTest {

  @Test
  void theImageHoldsEverythingTheJsonGives() {
    PricingCatalog parsed = PricingCatalog.parseBundled();
    List<String> files = PricingCatalog.bundledFiles();
    PricingCatalog read = CatalogImage.read(CatalogImage.write(parsed, files, CatalogImage.digest(files)));
    assertNotNull(read);
    assertEquals(286, read.models().size());
    deepEquals("catalog", parsed, read);
  }

  @Test
  void theBundledCatalogComesFromTheImageTheBuildWrote() {
    // The build (process-classes) wrote the image next to the JSON; the test class path holds both.
    PricingCatalog fromImage = CatalogImage.readBundled();
    assertNotNull(fromImage, "no usable " + CatalogImage.RESOURCE + " on the class path: is the build step missing?");
    deepEquals("catalog", PricingCatalog.parseBundled(), fromImage);
    deepEquals("catalog", fromImage, PricingCatalog.bundled());
  }

  @Test
  void anImageOfOtherJsonOrAnotherFormatIsIgnored() {
    PricingCatalog parsed = PricingCatalog.parseBundled();
    List<String> files = PricingCatalog.bundledFiles();
    byte[] digest = CatalogImage.digest(files);
    byte[] good = CatalogImage.write(parsed, files, digest);

    byte[] otherDigest = digest.clone();
    otherDigest[3] ^= 1; // made from other JSON
    assertNull(CatalogImage.read(CatalogImage.write(parsed, files, otherDigest)));

    byte[] otherFormat = good.clone();
    otherFormat[3] ^= 1; // the format number is the first int
    assertNull(CatalogImage.read(otherFormat));

    assertNull(CatalogImage.read(Arrays.copyOf(good, good.length / 2))); // truncated
    assertNull(CatalogImage.read(new byte[0]));

    // A file dropped from the list: its digest no longer matches the jar's JSON.
    assertNull(CatalogImage.read(CatalogImage.write(parsed, files.subList(1, files.size()), digest)));
    assertNotNull(CatalogImage.read(good));
  }

  /** Field by field, through every object of this package, lists, maps, sets and compiled patterns. */
  private static void deepEquals(String path, Object a, Object b) {
    if (a == null || b == null) {
      if (a != b) {
        fail(path + ": " + a + " != " + b);
      }
      return;
    }
    if (a instanceof Pattern) {
      assertTrue(b instanceof Pattern, path);
      assertEquals(((Pattern) a).pattern(), ((Pattern) b).pattern(), path);
      assertEquals(((Pattern) a).flags(), ((Pattern) b).flags(), path);
      return;
    }
    if (a instanceof List) {
      List<?> la = (List<?>) a;
      List<?> lb = (List<?>) b;
      assertEquals(la.size(), lb.size(), path + ".size");
      for (int i = 0; i < la.size(); i++) {
        deepEquals(path + "[" + i + "]", la.get(i), lb.get(i));
      }
      return;
    }
    if (a instanceof Map) {
      Map<?, ?> ma = (Map<?, ?>) a;
      Map<?, ?> mb = (Map<?, ?>) b;
      assertEquals(ma.keySet(), mb.keySet(), path + ".keys");
      Iterator<?> ka = ma.keySet().iterator();
      Iterator<?> kb = mb.keySet().iterator();
      while (ka.hasNext()) {
        Object key = ka.next();
        assertEquals(key, kb.next(), path + " key order");
        deepEquals(path + "[" + key + "]", ma.get(key), mb.get(key));
      }
      return;
    }
    if (a instanceof Set) {
      assertEquals(a, b, path);
      return;
    }
    if (a instanceof BigDecimal) {
      assertEquals(a, b, path + " (scale included)");
      return;
    }
    if (a instanceof String || a instanceof Number || a instanceof Boolean || a instanceof Enum
        || a instanceof LocalDate || a instanceof Character) {
      assertEquals(a, b, path);
      return;
    }
    assertEquals(a.getClass(), b.getClass(), path + " class");
    assertTrue(a.getClass().getName().startsWith("dev.aicost.pricing."), path + ": unexpected type " + a.getClass());
    for (Class<?> c = a.getClass(); c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        f.setAccessible(true);
        try {
          deepEquals(path + "." + f.getName(), f.get(a), f.get(b));
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
  }
}
