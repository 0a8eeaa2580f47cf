using System.Text.Json;
using ScenarioKit.Language.Diagnostics;

namespace ScenarioKit.Language.Tests.Diagnostics;

public class FormatterTests
{
    const string Yaml = """
        scenarioKit: 1
        id: demo
        version: 1.0.0
        locale: ja-JP
        intents: { greet: { examples: [a1, b2, c3, d4, e5] } }
        flows:
          hello:
            trigger: { intent: greet }
            steps:
              - say: "ご注文は ${order.総額} 円です"
        """;

    [Fact]
    public void Text_format_has_the_compiler_line_the_source_line_and_a_caret_under_full_width_text()
    {
        var result = ScenarioCompiler.CompileText(Yaml, "s.yaml", TestPaths.English);
        var w = new StringWriter();
        DiagnosticFormatter.FormatText(result, w, color: false);
        var lines = w.ToString().ReplaceLineEndings("\n").Split('\n');
        Assert.Equal("s.yaml(10,22): error SK3002: unknown variable 'order'", lines[0]);
        Assert.Equal("10 |       - say: \"ご注文は ${order.総額} 円です\"", lines[1]);
        // 14 cells of ASCII, 4 full-width characters (8 cells), a space and '${': the caret sits 25 cells in.
        Assert.Equal("   | " + new string(' ', 25) + "^^^^^", lines[2]);
        Assert.StartsWith("  = hint: ", lines[3], StringComparison.Ordinal);
        Assert.Contains("1 error(s), 0 warning(s)", w.ToString(), StringComparison.Ordinal);

        var bare = new StringWriter();
        DiagnosticFormatter.FormatText(result, bare, color: false, summary: false);
        Assert.DoesNotContain("error(s)", bare.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Japanese_messages_when_asked()
    {
        var result = ScenarioCompiler.CompileText(Yaml, "s.yaml", TestPaths.English with { Language = "ja" });
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("未定義の変数 'order' です", d.Message);
        Assert.Equal(DiagnosticCatalog.UnknownVariable.HintJa, d.Hint);
    }

    [Fact]
    public void Color_output_uses_ansi_only_when_asked()
    {
        var result = ScenarioCompiler.CompileText(Yaml, "s.yaml", TestPaths.English);
        var plain = new StringWriter();
        var colored = new StringWriter();
        DiagnosticFormatter.FormatText(result, plain, color: false);
        DiagnosticFormatter.FormatText(result, colored, color: true);
        Assert.DoesNotContain('\u001b', plain.ToString());
        Assert.Contains('\u001b', colored.ToString());
    }

    [Fact]
    public void Json_format_lists_id_severity_path_span_message_and_help()
    {
        var result = ScenarioCompiler.CompileText(Yaml, "s.yaml", TestPaths.English);
        var w = new StringWriter();
        DiagnosticFormatter.FormatJson(result, w);
        using var doc = JsonDocument.Parse(w.ToString());
        Assert.False(doc.RootElement.GetProperty("success").GetBoolean());
        var d = doc.RootElement.GetProperty("diagnostics")[0];
        Assert.Equal("SK3002", d.GetProperty("id").GetString());
        Assert.Equal("error", d.GetProperty("severity").GetString());
        Assert.Equal("s.yaml", d.GetProperty("path").GetString());
        Assert.Equal(10, d.GetProperty("line").GetInt32());
        Assert.Equal(22, d.GetProperty("column").GetInt32());
        Assert.Equal(27, d.GetProperty("endColumn").GetInt32());
        Assert.Equal("docs/diagnostics/SK3002.md", d.GetProperty("helpUri").GetString());
    }

    [Fact]
    public void Sarif_is_2_1_0_with_rules_from_the_catalog_and_utf16_regions()
    {
        var result = ScenarioCompiler.CompileText(Yaml, "flows/s.yaml", TestPaths.English);
        var w = new StringWriter();
        DiagnosticFormatter.FormatSarif(result, w, displayRoot: "/tmp/scenario");
        using var doc = JsonDocument.Parse(w.ToString());
        Assert.Equal("2.1.0", doc.RootElement.GetProperty("version").GetString());
        var run = doc.RootElement.GetProperty("runs")[0];
        Assert.Equal("utf16CodeUnits", run.GetProperty("columnKind").GetString());
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules");
        Assert.Equal(DiagnosticCatalog.All.Length, rules.GetArrayLength());
        var r = run.GetProperty("results")[0];
        Assert.Equal("SK3002", r.GetProperty("ruleId").GetString());
        Assert.Equal("SK3002", rules[r.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString());
        var location = r.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("flows/s.yaml", location.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal("SCENARIOROOT", location.GetProperty("artifactLocation").GetProperty("uriBaseId").GetString());
        var region = location.GetProperty("region");
        Assert.Equal((10, 22, 10, 27), (region.GetProperty("startLine").GetInt32(), region.GetProperty("startColumn").GetInt32(),
            region.GetProperty("endLine").GetInt32(), region.GetProperty("endColumn").GetInt32()));
    }

    [Fact]
    public void Duplicates_carry_the_first_definition_as_related_location()
    {
        var result = ScenarioCompiler.CompileText("scenarioKit: 1\nid: a\nid: b\n", "s.yaml", TestPaths.English);
        var d = result.Diagnostics.Single(x => x.Id == "SK1002");
        Assert.Equal((3, 1), (d.Span.Line, d.Span.Column));
        Assert.Equal((2, 1), (d.Related.Single().Line, d.Related.Single().Column));
    }
}
