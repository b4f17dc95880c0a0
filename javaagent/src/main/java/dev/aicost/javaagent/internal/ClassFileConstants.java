package dev.aicost.javaagent.internal;

import java.nio.charset.StandardCharsets;

/**
 * Reads the constant pool of a class file just far enough to tell whether it holds one of a few UTF-8 constants
 * (such as an annotation's type descriptor). This runs for every class of a class loader that can see the aicost
 * SDK, so it walks the pool without allocating and without parsing anything else; a class that uses an annotation
 * always names its descriptor there.
 */
final class ClassFileConstants {

  private ClassFileConstants() {}

  /** The modified UTF-8 of each string (plain ASCII for the descriptors the agent looks for). */
  static byte[][] utf8(Iterable<String> values) {
    java.util.List<byte[]> out = new java.util.ArrayList<>();
    for (String v : values) {
      out.add(v.getBytes(StandardCharsets.UTF_8));
    }
    return out.toArray(new byte[0][]);
  }

  /**
   * Whether the constant pool has a UTF-8 entry equal to one of {@code wanted}. A class file it cannot read (an
   * unknown constant tag, a truncated pool) answers {@code true}: the caller then lets Byte Buddy decide.
   */
  static boolean mentionsAny(byte[] classFile, byte[][] wanted) {
    try {
      if (classFile.length < 10 || u2(classFile, 0) != 0xCAFE || u2(classFile, 2) != 0xBABE) {
        return true;
      }
      int count = u2(classFile, 8);
      int at = 10;
      for (int index = 1; index < count; index++) {
        int tag = classFile[at] & 0xFF;
        switch (tag) {
          case 1: // Utf8
            int length = u2(classFile, at + 1);
            if (matches(classFile, at + 3, length, wanted)) {
              return true;
            }
            at += 3 + length;
            break;
          case 3: // Integer
          case 4: // Float
          case 9: // Fieldref
          case 10: // Methodref
          case 11: // InterfaceMethodref
          case 12: // NameAndType
          case 17: // Dynamic
          case 18: // InvokeDynamic
            at += 5;
            break;
          case 5: // Long
          case 6: // Double: two pool slots
            at += 9;
            index++;
            break;
          case 7: // Class
          case 8: // String
          case 16: // MethodType
          case 19: // Module
          case 20: // Package
            at += 3;
            break;
          case 15: // MethodHandle
            at += 4;
            break;
          default:
            return true;
        }
      }
      return false;
    } catch (ArrayIndexOutOfBoundsException truncated) {
      return true;
    }
  }

  private static boolean matches(byte[] classFile, int offset, int length, byte[][] wanted) {
    for (byte[] w : wanted) {
      if (w.length == length && regionEquals(classFile, offset, w)) {
        return true;
      }
    }
    return false;
  }

  private static boolean regionEquals(byte[] classFile, int offset, byte[] w) {
    for (int i = w.length - 1; i >= 0; i--) { // descriptors share their package prefix: compare from the end
      if (classFile[offset + i] != w[i]) {
        return false;
      }
    }
    return true;
  }

  private static int u2(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }
}
