// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds real PF4J plugin jars in tests (PF4J's {@code PluginJar} idea): compiles a policy factory from
 * source against plugin-api, writes the extension index and the manifest. The classes exist only in the jar,
 * never on the test class path, so the gateway can load only them through a plugin class loader.
 */
final class PluginJars {

  private PluginJars() {}

  /**
   * A plugin {@code id} at {@code version} providing policy type {@code type}, whose policy sets the
   * response header {@code X-Stamp: <version>}.
   */
  static Path stampPlugin(Path workDir, Path target, String id, String type, String version, String requires)
      throws IOException {
    String pkg = "test.plugin." + id.replace('-', '_');
    String cls = "StampPolicyFactory";
    String source = """
        package %s;

        import io.sluice.gateway.api.*;
        import io.vertx.core.Future;

        @org.pf4j.Extension
        public final class %s implements PolicyFactory<NoConfig> {
          public String type() { return "%s"; }
          public Stage stage() { return Stage.TRANSFORM; }
          public Class<NoConfig> configType() { return NoConfig.class; }
          public Policy create(NoConfig config, PolicyContext context) {
            return (exchange, chain) -> chain.proceed().onSuccess(v ->
                exchange.response().headers().set("X-Stamp", "%s"));
          }
        }
        """.formatted(pkg, cls, type, version);
    Path src = workDir.resolve("src-" + id + "-" + version).resolve(pkg.replace('.', '/'));
    Files.createDirectories(src);
    Path file = src.resolve(cls + ".java");
    Files.writeString(file, source);
    Path classes = workDir.resolve("classes-" + id + "-" + version);
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-proc:none", "--release", "17", "-cp", System.getProperty("java.class.path"),
        "-d", classes.toString(), file.toString());
    if (rc != 0) {
      throw new IllegalStateException("plugin source did not compile");
    }
    Manifest manifest = new Manifest();
    Attributes a = manifest.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Plugin-Id", id);
    a.putValue("Plugin-Version", version);
    a.putValue("Plugin-Requires", requires);
    a.putValue("Plugin-Provider", "tests");
    Path tmp = target.resolveSibling(target.getFileName() + ".building");
    try (OutputStream out = Files.newOutputStream(tmp);
        JarOutputStream jar = new JarOutputStream(out, manifest)) {
      jar.putNextEntry(new JarEntry("META-INF/extensions.idx"));
      jar.write((pkg + "." + cls + "\n").getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
      List<Path> compiled;
      try (Stream<Path> walk = Files.walk(classes)) {
        compiled = walk.filter(Files::isRegularFile).toList();
      }
      for (Path c : compiled) {
        jar.putNextEntry(new JarEntry(classes.relativize(c).toString().replace('\\', '/')));
        jar.write(Files.readAllBytes(c));
        jar.closeEntry();
      }
    }
    // Appear whole: the gateway may look at the directory at any moment.
    Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return target;
  }
}
