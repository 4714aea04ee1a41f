package kr.go.procurement.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Service JARs running {@link FakeService}, where the supervisor looks for them. */
final class FakeJars {

    private FakeJars() {
    }

    /**
     * {@code <root>/<module>/target/<module>.jar} running {@link FakeService}; {@code build} goes into an entry of its
     * own, so that two builds differ in content.
     */
    static Path write(Path root, String module, String build) throws IOException {
        Path jar = root.resolve(module).resolve("target").resolve(module + ".jar");
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
        // written in place, as a rebuild does (the maven-shade-plugin rewrites the file)
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (Class<?> c : new Class<?>[] {FakeService.class, FakeService.Lazy.class}) {
                String entry = c.getName().replace('.', '/') + ".class";
                try (InputStream in = FakeService.class.getClassLoader().getResourceAsStream(entry)) {
                    out.putNextEntry(new JarEntry(entry));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
            out.putNextEntry(new JarEntry("build.txt"));
            out.write(build.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }
}
