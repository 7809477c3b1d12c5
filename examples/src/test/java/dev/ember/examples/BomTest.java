package dev.ember.examples;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ember-bom has no parent (so importing it brings only Ember's versions), so its version and list are
 * written out: this keeps them equal to the reactor's, every published module included.
 */
class BomTest {
    private static final Path ROOT = Path.of("..");

    @Test
    public void theBomManagesEveryPublishedModuleAtTheProjectVersion() throws Exception {
        Element parent = read(ROOT.resolve("pom.xml"));
        String version = child(parent, "version");
        List<String> published = new ArrayList<>();
        for (Element module : children(element(parent, "modules"), "module")) {
            Element pom = read(ROOT.resolve(module.getTextContent().trim()).resolve("pom.xml"));
            String packaging = child(pom, "packaging");
            Element props = element(pom, "properties");
            boolean skipped = props != null && "true".equals(child(props, "maven.deploy.skip"));
            if (!"pom".equals(packaging) && !skipped) {
                published.add(child(pom, "artifactId"));
            }
        }
        assertThat(published).contains("ember-core", "ember-backend-cpu", "ember-nn");

        Element bom = read(ROOT.resolve("bom").resolve("pom.xml"));
        assertThat(child(bom, "version")).isEqualTo(version);
        assertThat(element(bom, "parent")).as("the BOM must not inherit ember-parent's management").isNull();
        List<String> managed = new ArrayList<>();
        for (Element d : children(element(element(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            assertThat(child(d, "groupId")).isEqualTo("dev.ember");
            assertThat(child(d, "version")).as(child(d, "artifactId")).isEqualTo(version);
            managed.add(child(d, "artifactId"));
        }
        assertThat(managed).containsAll(published);
        assertThat(published).containsAll(managed);
    }

    private static Element read(Path pom) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Files.newInputStream(pom));
        return doc.getDocumentElement();
    }

    private static String child(Element e, String name) {
        Element c = element(e, name);
        return c == null ? null : c.getTextContent().trim();
    }

    private static Element element(Element e, String name) {
        List<Element> all = children(e, name);
        return all.isEmpty() ? null : all.get(0);
    }

    private static List<Element> children(Element e, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = e.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element el && el.getTagName().equals(name)) {
                out.add(el);
            }
        }
        return out;
    }
}
