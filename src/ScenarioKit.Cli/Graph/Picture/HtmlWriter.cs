using System.Text;
using static ScenarioKit.Cli.Graph.Picture.SvgWriter;

namespace ScenarioKit.Cli.Graph.Picture;

/// <summary>
/// One self-contained page: the SVG inline, a legend of the shapes (and of the heat colours with <c>--db</c>) and a few
/// lines of script for pan (drag) and zoom (wheel, buttons). Its Content-Security-Policy allows nothing to be fetched,
/// so the page opens offline and tells nobody it was opened.
/// </summary>
internal static class HtmlWriter
{
    static readonly (NodeShape Shape, string Caption)[] ShapeLegend =
    [
        (NodeShape.Stage, "journey stage"),
        (NodeShape.Trigger, "intent, event or proactive rule"),
        (NodeShape.Step, "say, call, set, end"),
        (NodeShape.Ask, "ask (waits for the customer)"),
        (NodeShape.Decision, "if / handoff rule"),
        (NodeShape.Jump, "goto"),
        (NodeShape.Handoff, "handoff"),
        (NodeShape.Queue, "human queue"),
        (NodeShape.Note, "note"),
    ];

    public static string Write(FlowGraph graph, string svg, TrafficOverlay? traffic, string language)
    {
        var sb = new StringBuilder(svg.Length + 8 * 1024);
        sb.Append("<!DOCTYPE html>\n<html lang=\"").Append(X(language)).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<title>").Append(X(graph.Title)).Append("</title>\n<style>\n")
          .Append("  html, body { margin: 0; height: 100%; font-family: ").Append(FontFamily).Append("; }\n")
          .Append("""
              body { display: flex; flex-direction: column; }
              header { padding: 8px 16px; border-bottom: 1px solid #ddd; display: flex; flex-wrap: wrap; gap: 6px 18px; align-items: center; }
              header h1 { font-size: 16px; margin: 0 12px 0 0; }
              .legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; align-items: center; }
              .legend span { display: inline-flex; align-items: center; gap: 4px; }
              .tools button { font: inherit; font-size: 13px; padding: 2px 10px; }
              #view { flex: 1; overflow: hidden; cursor: grab; background: #fff; }
              #view svg { width: 100%; height: 100%; }
              #view.dragging { cursor: grabbing; }
            </style>
            </head>
            <body>
            <header>
            """)
          .Append("<h1>").Append(X(graph.Title)).Append("</h1>\n");
        if (traffic is not null)
            sb.Append("<span class=\"summary\">").Append(traffic.Conversations.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture)).Append(" conversations</span>\n");
        sb.Append("<div class=\"legend\" id=\"legend\">\n");
        foreach (var (shape, caption) in ShapeLegend)
        {
            var (fill, stroke) = ShapeColours(shape);
            LegendItem(sb, Shape(shape, new Box(1, 1, 30, 16), fill, stroke), caption);
        }
        if (traffic is not null)
        {
            foreach (var (_, (fill, stroke, caption)) in HeatColours)
                LegendItem(sb, Shape(NodeShape.Step, new Box(1, 1, 30, 16), fill, stroke), caption);
            LegendItem(sb, "<path d=\"M1,9 H31\" stroke=\"#555\" stroke-width=\"5\"/>", "edge width: traffic (×count)");
        }
        sb.Append("</div>\n<div class=\"tools\"><button type=\"button\" id=\"zoom-in\">+</button> <button type=\"button\" id=\"zoom-out\">−</button> <button type=\"button\" id=\"fit\">fit</button></div>\n");
        sb.Append("</header>\n<main id=\"view\">\n").Append(svg).Append("</main>\n");
        sb.Append("""
            <script>
            (() => {
              const view = document.getElementById('view'), svg = view.querySelector('svg');
              const home = svg.viewBox.baseVal, box = { x: home.x, y: home.y, w: home.width, h: home.height };
              const initial = { ...box };
              svg.removeAttribute('width'); svg.removeAttribute('height');
              const apply = () => svg.setAttribute('viewBox', `${box.x} ${box.y} ${box.w} ${box.h}`);
              const scale = () => Math.max(box.w / svg.clientWidth, box.h / svg.clientHeight);
              const zoom = (k, cx, cy) => { box.x = cx - (cx - box.x) * k; box.y = cy - (cy - box.y) * k; box.w *= k; box.h *= k; apply(); };
              const toSvg = e => { const p = svg.createSVGPoint(); p.x = e.clientX; p.y = e.clientY; return p.matrixTransform(svg.getScreenCTM().inverse()); };
              view.addEventListener('wheel', e => { e.preventDefault(); const p = toSvg(e); zoom(e.deltaY > 0 ? 1.15 : 1 / 1.15, p.x, p.y); }, { passive: false });
              let drag = null;
              view.addEventListener('pointerdown', e => { drag = { x: e.clientX, y: e.clientY }; view.classList.add('dragging'); view.setPointerCapture(e.pointerId); });
              view.addEventListener('pointermove', e => { if (!drag) return; const s = scale(); box.x -= (e.clientX - drag.x) * s; box.y -= (e.clientY - drag.y) * s; drag = { x: e.clientX, y: e.clientY }; apply(); });
              view.addEventListener('pointerup', () => { drag = null; view.classList.remove('dragging'); });
              const centre = () => ({ x: box.x + box.w / 2, y: box.y + box.h / 2 });
              document.getElementById('zoom-in').onclick = () => { const c = centre(); zoom(1 / 1.25, c.x, c.y); };
              document.getElementById('zoom-out').onclick = () => { const c = centre(); zoom(1.25, c.x, c.y); };
              document.getElementById('fit').onclick = () => { Object.assign(box, initial); apply(); };
            })();
            </script>
            </body>
            </html>

            """);
        return sb.ToString();
    }

    static void LegendItem(StringBuilder sb, string shapeSvg, string caption) =>
        sb.Append("<span><svg width=\"32\" height=\"18\" viewBox=\"0 0 32 18\" aria-hidden=\"true\">").Append(shapeSvg)
          .Append("</svg>").Append(X(caption)).Append("</span>\n");
}
