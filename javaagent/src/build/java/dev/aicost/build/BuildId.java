package dev.aicost.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the agent's build id: a SHA-256 of every file of the agent jar's layout (paths and contents, in path order),
 * so two builds of the same code share one, and any change to a class, a resource or a shaded library makes another.
 * The agent keeps its weave cache per build id (WeaveCache).
 *
 * <p>Usage: {@code BuildId <layout folder> <id file, relative to it>}.
 */
public final class BuildId {
  public static void main(String[] args) throws Exception {
    Path root = Paths.get(args[0]);
    Path out = root.resolve(args[1]);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).filter(p -> !p.equals(out)).sorted().collect(Collectors.toList());
    }
    for (Path f : files) {
      sha.update(root.relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(Files.readAllBytes(f));
    }
    StringBuilder hex = new StringBuilder();
    for (byte b : sha.digest()) {
      hex.append(String.format("%02x", b));
    }
    String id = hex.substring(0, 32); // 128 bits name a build well enough, and keep cache paths short
    Files.createDirectories(out.getParent());
    Files.write(out, (id + "\n").getBytes(StandardCharsets.US_ASCII));
    System.out.println("agent build id " + id + " (" + files.size() + " files)");
  }

  private BuildId() {}
}
