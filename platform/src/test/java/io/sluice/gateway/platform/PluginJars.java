// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.ToolProvider;

/**
 * Builds real PF4J plugins in tests (PF4J's {@code PluginJar} idea): compiles a policy factory from source
 * against plugin-api and packages it with its descriptor and extension index. The classes exist only in the
 * package, never on the test class path, so the gateway can load them only through a plugin class loader.
 */
public final class PluginJars {

  private PluginJars() {}

  /**
   * A jar plugin {@code id} at {@code version} providing policy type {@code type}, whose policy sets the
   * response header {@code X-Stamp: <version>}.
   */
  public static Path stampPlugin(Path workDir, Path target, String id, String type, String version, String requires)
      throws IOException {
    String pkg = "test.plugin." + id.replace('-', '_');
    Path src = workDir.resolve("src-" + id + "-" + version).resolve(pkg.replace('.', '/'));
    Files.createDirectories(src);
    Path file = src.resolve("StampPolicyFactory.java");
    Files.writeString(file, """
        package %s;

        import io.sluice.gateway.api.*;

        @org.pf4j.Extension
        public final class StampPolicyFactory implements PolicyFactory<NoConfig> {
          public String type() { return "%s"; }
          public Stage stage() { return Stage.TRANSFORM; }
          public Class<NoConfig> configType() { return NoConfig.class; }
          public Policy create(NoConfig config, PolicyContext context) {
            return (exchange, chain) -> chain.proceed().onSuccess(v ->
                exchange.response().headers().set("X-Stamp", "%s"));
          }
        }
        """.formatted(pkg, type, version));
    Path classes = workDir.resolve("classes-" + id + "-" + version);
    compile(classes, System.getProperty("java.class.path"), file);
    Manifest manifest = new Manifest();
    Attributes a = manifest.getMainAttributes();
    a.putValue("Plugin-Id", id);
    a.putValue("Plugin-Version", version);
    a.putValue("Plugin-Requires", requires);
    a.putValue("Plugin-Provider", "tests");
    Path tmp = target.resolveSibling(target.getFileName() + ".building");
    jar(tmp, manifest, classes, pkg + ".StampPolicyFactory\n");
    // Appear whole: the gateway may look at the directory at any moment.
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  /**
   * A zip plugin (PF4J layout: {@code plugin.properties}, {@code classes/}, {@code lib/}) whose policy sets
   * {@code X-Shout} with a class that exists only in its {@code lib/} jar: proof that bundled libraries load.
   */
  public static Path zipPlugin(Path workDir, Path target, String id, String type, String version) throws IOException {
    Path libSrc = workDir.resolve("zip-lib-src/test/lib");
    Files.createDirectories(libSrc);
    Files.writeString(libSrc.resolve("Shout.java"), """
        package test.lib;

        public final class Shout {
          public static String shout(String s) { return s.toUpperCase() + "!"; }
        }
        """);
    Path libClasses = workDir.resolve("zip-lib-classes");
    compile(libClasses, System.getProperty("java.class.path"), libSrc.resolve("Shout.java"));
    Path libJar = workDir.resolve("shout-lib.jar");
    jar(libJar, new Manifest(), libClasses, null);

    String pkg = "test.zipplugin";
    Path src = workDir.resolve("zip-src/" + pkg.replace('.', '/'));
    Files.createDirectories(src);
    Path factory = src.resolve("ShoutPolicyFactory.java");
    Files.writeString(factory, """
        package %s;

        import io.sluice.gateway.api.*;

        @org.pf4j.Extension
        public final class ShoutPolicyFactory implements PolicyFactory<NoConfig> {
          public String type() { return "%s"; }
          public Stage stage() { return Stage.TRANSFORM; }
          public Class<NoConfig> configType() { return NoConfig.class; }
          public Policy create(NoConfig config, PolicyContext context) {
            return (exchange, chain) -> chain.proceed().onSuccess(v ->
                exchange.response().headers().set("X-Shout", test.lib.Shout.shout("%s")));
          }
        }
        """.formatted(pkg, type, version));
    Path classes = workDir.resolve("zip-classes");
    compile(classes, System.getProperty("java.class.path") + File.pathSeparator + libClasses, factory);

    Path tmp = target.resolveSibling(target.getFileName() + ".building");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
      entry(zip, "plugin.properties", ("plugin.id=" + id + "\nplugin.version=" + version
          + "\nplugin.requires=>=0.1.0\nplugin.provider=tests\n").getBytes(StandardCharsets.UTF_8));
      entry(zip, "classes/META-INF/extensions.idx", (pkg + ".ShoutPolicyFactory\n").getBytes(StandardCharsets.UTF_8));
      try (Stream<Path> walk = Files.walk(classes)) {
        for (Path c : walk.filter(Files::isRegularFile).toList()) {
          entry(zip, "classes/" + classes.relativize(c).toString().replace('\\', '/'), Files.readAllBytes(c));
        }
      }
      entry(zip, "lib/shout-lib.jar", Files.readAllBytes(libJar));
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }

  private static void compile(Path out, String classpath, Path source) throws IOException {
    Files.createDirectories(out);
    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null,
        "-proc:none", "--release", "17", "-cp", classpath, "-d", out.toString(), source.toString());
    if (rc != 0) {
      throw new IllegalStateException(source + " did not compile");
    }
  }

  private static void jar(Path target, Manifest manifest, Path classes, String extensionIndex) throws IOException {
    manifest.getMainAttributes().putIfAbsent(Attributes.Name.MANIFEST_VERSION, "1.0");
    try (OutputStream out = Files.newOutputStream(target);
        JarOutputStream jar = new JarOutputStream(out, manifest)) {
      if (extensionIndex != null) {
        entry(jar, "META-INF/extensions.idx", extensionIndex.getBytes(StandardCharsets.UTF_8));
      }
      try (Stream<Path> walk = Files.walk(classes)) {
        for (Path c : walk.filter(Files::isRegularFile).toList()) {
          entry(jar, classes.relativize(c).toString().replace('\\', '/'), Files.readAllBytes(c));
        }
      }
    }
  }
}
