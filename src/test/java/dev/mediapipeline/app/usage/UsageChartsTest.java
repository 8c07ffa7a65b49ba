package dev.mediapipeline.app.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The server-drawn usage charts: well-formed SVG, one bar per point carrying its key and value, every text escaped. */
@Tag("fast")
class UsageChartsTest {

    @Test
    void oneBarPerPointWithItsKeyAndValueInWellFormedSvg() throws Exception {
        String svg = UsageCharts.bars("Bandwidth <per> day", "bytes", List.of(new UsageCharts.Point("2026-11-29", 0),
                new UsageCharts.Point("2026-11-30", 12_345), new UsageCharts.Point("\"><script>alert(1)</script>", 7)));
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        var doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(doc.getElementsByTagName("script").getLength()).isZero();
        NodeList rects = doc.getElementsByTagName("rect");
        assertThat(rects.getLength()).isEqualTo(3);
        Element biggest = (Element) rects.item(1);
        assertThat(biggest.getAttribute("data-key")).isEqualTo("2026-11-30");
        assertThat(biggest.getAttribute("data-value")).isEqualTo("12345");
        assertThat(((Element) rects.item(2)).getAttribute("data-key")).isEqualTo("\"><script>alert(1)</script>");
        assertThat(Double.parseDouble(((Element) rects.item(0)).getAttribute("height"))).isZero();
        assertThat(svg).contains("Bandwidth &lt;per&gt; day", "12.3 KB");
    }

    @Test
    void anEmptyRangeSaysSo() {
        assertThat(UsageCharts.bars("Requests per day", "requests", List.of())).contains("no usage in this range");
        assertThat(UsageCharts.human(999, "bytes")).isEqualTo("999 B");
        assertThat(UsageCharts.human(1_500_000, "bytes")).isEqualTo("1.5 MB");
    }
}
